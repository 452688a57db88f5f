/**
 * Which adapter speaks to which kind of provider. The chat service looks the adapter up by provider type
 * at send time; a new API style is one `register` call in services.ts.
 */
import type { ProviderType } from '../../../shared/models/provider';
import type { ProviderAdapter } from '../providers/provider-adapter';

export class AdapterRegistry {
  private readonly byType = new Map<ProviderType, ProviderAdapter>();

  register(types: readonly ProviderType[], adapter: ProviderAdapter): this {
    for (const type of types) this.byType.set(type, adapter);
    return this;
  }

  get(type: ProviderType): ProviderAdapter | undefined {
    return this.byType.get(type);
  }
}
