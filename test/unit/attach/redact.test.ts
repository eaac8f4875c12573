// Redaction of what discovery shows: every secret shape named in the issue is masked in a joined
// command line and in argv form, and ordinary arguments stay readable.

import { redactArgv, redactText } from '../../../kernel/src/attach/redact';

describe('redactText', () => {
  it.each([
    ['--token=abc123', '--token=***'],
    ['--password=hunter2', '--password=***'],
    ['--NotebookApp.token=abc123', '--NotebookApp.token=***'],
    ['--IdentityProvider.token=abc123', '--IdentityProvider.token=***'],
    ['--ServerApp.password=sha1:dead', '--ServerApp.password=***'],
    ['JUPYTER_TOKEN=abc123 node app.js', 'JUPYTER_TOKEN=*** node app.js'],
    ['MY_SECRET=s3 DB_PASSWORD=pw GH_TOKEN=t node x.js', 'MY_SECRET=*** DB_PASSWORD=*** GH_TOKEN=*** node x.js'],
    ['http://localhost:8888/lab?token=abc123&x=1', 'http://localhost:8888/lab?token=***&x=1'],
    ['https://h/api?a=1&access_token=abc#frag', 'https://h/api?a=1&access_token=***#frag'],
    ['curl -H Authorization: Bearer eyJhbGciOi.x.y', 'curl -H Authorization: Bearer ***'],
    ['Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic ***'],
    ['postgres://admin:pa55@db:5432/x', 'postgres://admin:***@db:5432/x'],
    ['jupyter lab --token abc123 --port 8888', 'jupyter lab --token *** --port 8888'],
    ['jupyter lab --password hunter2', 'jupyter lab --password ***'],
  ])('%s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('leaves ordinary command lines alone', () => {
    const plain = 'node --max-old-space-size=4096 --inspect-port=0 /srv/app/tokenizer.js --port 8080 http://example.com/a?b=1';
    expect(redactText(plain)).toBe(plain);
  });
});

describe('redactArgv', () => {
  it('masks the whole next entry after a secret flag, spaces and all', () => {
    expect(redactArgv(['node', 'app.js', '--token', 'a b c', '--port', '1'])).toEqual(['node', 'app.js', '--token', '***', '--port', '1']);
    expect(redactArgv(['python', '-m', 'jupyter', 'lab', '--password', 'p w'])).toEqual(['python', '-m', 'jupyter', 'lab', '--password', '***']);
  });

  it('masks the whole value of --name=value, spaces and all', () => {
    expect(redactArgv(['x', '--NotebookApp.token=a b', 'SECRET_KEY=s t'])).toEqual(['x', '--NotebookApp.token=***', 'SECRET_KEY=***']);
  });

  it('masks URLs and headers inside one entry', () => {
    expect(redactArgv(['curl', 'http://u:pw@h/x?token=t', '-H', 'Authorization: Bearer zz'])).toEqual(['curl', 'http://u:***@h/x?token=***', '-H', 'Authorization: Bearer ***']);
  });

  it('does not swallow the next option after a bare secret flag', () => {
    expect(redactArgv(['app', '--password-stdin', '--verbose'])).toEqual(['app', '--password-stdin', '--verbose']);
  });
});
