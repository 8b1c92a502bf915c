/**
 * Serves the repository root and prints the explorable's address (`npm run explore`, which
 * builds the package first). Stop with Ctrl-C.
 */
import { fileURLToPath } from 'node:url';
import { serve } from '../../test/browser/server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const port = Number(process.env.PORT ?? 0);
const server = await serve(root, port);
console.log(`rnnlab explorable: ${server.url}/examples/web/index.html`);
