/** The OS keychain through keytar: service `Switchboard`, account = the provider's id (or a sub-account). */
import keytar from 'keytar';
import { KEYCHAIN_SERVICE, type SecretStore } from './secret-store';

export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export class KeytarSecretStore implements SecretStore {
  constructor(
    private readonly service: string = KEYCHAIN_SERVICE,
    private readonly lib: KeytarLike = keytar,
  ) {}

  get(account: string): Promise<string | null> {
    return this.lib.getPassword(this.service, account);
  }

  set(account: string, secret: string): Promise<void> {
    return this.lib.setPassword(this.service, account, secret);
  }

  delete(account: string): Promise<boolean> {
    return this.lib.deletePassword(this.service, account);
  }
}
