import { bootstrap } from '../lib/bootstrap';
import { ChatApp } from './ChatApp';
import '../styles/app.css';

void bootstrap(() => <ChatApp />);
