// Imported first by the compiler worker (worker.ts): loads TypeScript — the minified copy when the
// build made one (../typescriptModule.ts) — before the modules that import 'typescript' do, and
// keeps TurboFan away from its checker factory (optimizerFilter.ts).

import { loadTypescript } from '../typescriptModule';
import { keepCheckerFactoryUnoptimized } from './optimizerFilter';

// `createTypeChecker` is internal to TypeScript (exported, but not in its declarations).
keepCheckerFactoryUnoptimized(Reflect.get(loadTypescript(), 'createTypeChecker'));
