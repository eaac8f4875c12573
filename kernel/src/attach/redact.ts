// Secrets out of anything discovery shows: command lines of the user's processes (and titles of
// their inspectors and agents) can carry a Jupyter token, a password or a credential in a URL.
// Redaction is by shape, not by program: option names and environment-style names containing
// token/secret/password/passwd/apikey, URL query parameters of that kind, HTTP auth headers and
// the password part of `scheme://user:password@host`. Values become `***`.

const MASK = '***';
/** Words that make an option, a variable or a query parameter secret. */
const SECRET_WORD = '(?:token|secret|passw(?:or)?d|api[-_]?key|auth[-_]?key|credentials?)';
/** `--token`, `--NotebookApp.token`, `--password-file`: an option whose value is the next argv entry. */
const SECRET_FLAG = new RegExp(`^--?[\\w.-]*${SECRET_WORD}[\\w.-]*$`, 'i');

const RULES: [RegExp, string][] = [
  // --token=x, --IdentityProvider.token=x, JUPYTER_TOKEN=x, MY_SECRET=x, password=x (also inside a longer string).
  [new RegExp(`((?:^|[\\s"'&;,])-{0,2}[\\w.-]*${SECRET_WORD}[\\w.-]*=)("[^"]*"|'[^']*'|[^\\s&#"']*)`, 'gi'), `$1${MASK}`],
  // ?token=x& in URLs (access_token, api_key, ...), also when the name has no separator before it.
  [new RegExp(`([?&][\\w.-]*${SECRET_WORD}[\\w.-]*=)[^&#\\s]*`, 'gi'), `$1${MASK}`],
  // Authorization: Bearer x / Basic x / Token x, and a bare "Bearer x".
  [/(authorization\s*[:=]\s*(?:bearer|basic|token|digest)?\s*)[^\s"',;]+/gi, `$1${MASK}`],
  [/(\bbearer\s+)(?!\*\*\*)[^\s"',;]+/gi, `$1${MASK}`],
  // scheme://user:password@host
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/@]+(@)/gi, `$1${MASK}$2`],
  // --token x / --password x written as one string (the argv form is handled by redactArgv).
  [new RegExp(`((?:^|\\s)--?[\\w.-]*${SECRET_WORD}[\\w.-]*\\s+)(?!-)("[^"]*"|'[^']*'|\\S+)`, 'gi'), `$1${MASK}`],
];

/** A free-form string (a command line joined with spaces, a title) with secret values masked. */
export function redactText(text: string): string {
  let out = text;
  for (const [re, replacement] of RULES) out = out.replace(re, replacement);
  return out;
}

/** argv with secret values masked: `--token x` masks the whole next entry, however many spaces it holds. */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (SECRET_FLAG.test(arg) && i + 1 < argv.length && !argv[i + 1].startsWith('-')) {
      out.push(arg, MASK);
      i++;
      continue;
    }
    // One argv entry is one value: `--token=a b` masks all of "a b", not just "a".
    const eq = /^(-{0,2}[\w.-]+=)/.exec(arg);
    if (eq && new RegExp(SECRET_WORD, 'i').test(eq[1])) out.push(eq[1] + MASK);
    else out.push(redactText(arg));
  }
  return out;
}
