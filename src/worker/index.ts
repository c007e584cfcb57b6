/** Cloudflare Workers entry. Importing the workerd runtime installs its static asset loader. */
import '../runtime/workerd.js';
import { createApp } from './app.js';

export { TenantLedger } from '../tenants/ledger/tenant-ledger.js';
export { ProviderHealth } from '../proxy/health/health-object.js';
export { ControlPlane } from '../admin/control-plane.js';

export default createApp();
