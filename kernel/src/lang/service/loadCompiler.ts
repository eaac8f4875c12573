// Imported first by the compiler worker (worker.ts): loads TypeScript — the minified copy when the
// build made one (../typescriptModule.ts) — before the modules that import 'typescript' do.

import { loadTypescript } from '../typescriptModule';

loadTypescript();
