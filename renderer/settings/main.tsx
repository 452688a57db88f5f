import { bootstrap } from '../lib/bootstrap';
import { SettingsApp } from './SettingsApp';
import '../styles/app.css';

void bootstrap(() => <SettingsApp />);
