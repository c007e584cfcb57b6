/** Cloudflare Workers entry. Importing the workerd runtime installs its static asset loader. */
import '../runtime/workerd.js';
import { createApp } from './app.js';

export default createApp();
