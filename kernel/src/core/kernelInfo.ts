// kernel_info_reply content for the two kernelspecs.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROTOCOL_VERSION } from '../wire/messages';
import type { KernelInfoReply } from './protocol';

function version(pkgJson: string): string {
  try {
    return (JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export const KERNEL_VERSION = version(path.join(__dirname, '..', '..', 'package.json'));

export function languageInfo(language: 'typescript' | 'javascript'): KernelInfoReply['language_info'] {
  if (language === 'typescript') {
    let tsVersion = 'unknown';
    try {
      tsVersion = version(require.resolve('typescript/package.json'));
    } catch {
      /* typescript not installed */
    }
    return {
      name: 'typescript',
      version: tsVersion,
      mimetype: 'text/typescript',
      file_extension: '.ts',
      codemirror_mode: { name: 'javascript', typescript: true },
      pygments_lexer: 'typescript',
    };
  }
  return {
    name: 'javascript',
    version: process.versions.node,
    mimetype: 'text/javascript',
    file_extension: '.js',
    codemirror_mode: 'javascript',
    pygments_lexer: 'javascript',
  };
}

export function kernelInfo(language: 'typescript' | 'javascript', debuggerAvailable: boolean): KernelInfoReply {
  return {
    status: 'ok',
    protocol_version: PROTOCOL_VERSION,
    implementation: 'tskernel',
    implementation_version: KERNEL_VERSION,
    language_info: languageInfo(language),
    banner: `tskernel ${KERNEL_VERSION} — ${language === 'typescript' ? 'TypeScript' : 'JavaScript'} on Node.js ${process.version}`,
    help_links: [
      { text: 'TypeScript', url: 'https://www.typescriptlang.org/docs/' },
      { text: 'Node.js', url: 'https://nodejs.org/docs/latest-v20.x/api/' },
    ],
    debugger: debuggerAvailable,
    supported_features: debuggerAvailable ? ['debugger'] : [],
  };
}
