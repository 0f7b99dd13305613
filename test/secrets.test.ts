import { describe, expect, it } from 'vitest';
import { createMasker, isSecretName, maskingStream, MASK, redactUrl, secretValuesFromEnv } from '../src/secrets.js';
import { hideCutSecret } from '../src/secrets.js';

describe('redactUrl', () => {
  it('removes user and password, or only the password, leaving the rest as written', () => {
    expect(redactUrl('https://alice:s3cret@prom.example:9090/')).toBe('https://prom.example:9090/');
    expect(redactUrl('http://prom:9090/prometheus')).toBe('http://prom:9090/prometheus');
    expect(redactUrl('postgres://ir:s3cret@db.internal:5432/ir', { keepUser: true })).toBe(
      'postgres://ir@db.internal:5432/ir',
    );
    expect(redactUrl('postgres://db/ir?sslmode=require&password=s3cret', { keepUser: true })).toBe(
      'postgres://db/ir?sslmode=require&password=***',
    );
    // An @ in the path is not user info.
    expect(redactUrl('https://status.example.com/team@ops/')).toBe('https://status.example.com/team@ops/');
  });

  it('a password no URL parser reads (holding / or @) is removed all the same', () => {
    for (const url of ['http://bob:pa/ss@127.0.0.1:19090', 'http://bob:p@ss/x@127.0.0.1:19090/api']) {
      const shown = redactUrl(url);
      expect(shown).not.toMatch(/pa\/ss|p@ss/);
      expect(shown.startsWith('http://')).toBe(true);
    }
    expect(redactUrl('http://bob:pa/ss@127.0.0.1:19090')).toBe('http://127.0.0.1:19090');
    expect(redactUrl('http://bob:pa/ss@127.0.0.1:19090', { keepUser: true })).toBe('http://bob@127.0.0.1:19090');
  });
});

describe('redactUrl: credentials wherever a database string carries them', () => {
  it.each([
    ['host=db password=hunter2', 'host=db password=***'],
    ["host=db password='hunter 2' dbname=ir", 'host=db password=*** dbname=ir'],
    ['password = hunter2 host=db', 'password = *** host=db'],
    ['postgres://ir@db/ir?sslpassword=KEYPASS&sslmode=require', 'postgres://ir@db/ir?sslpassword=***&sslmode=require'],
    ['postgres://ir@db/ir?auth_token=abc&x_secret_key=def', 'postgres://ir@db/ir?auth_token=***&x_secret_key=***'],
    ['postgresql:/u:Hunter2Secret@db/ir', 'postgresql:/u@db/ir'],
    ['postgresql:u:Hunter2Secret@db/ir', 'postgresql:u@db/ir'],
  ])('%s → %s', (url, shown) => {
    expect(redactUrl(url, { keepUser: true })).toBe(shown);
  });

  it('keeps what is no credential', () => {
    for (const url of ['host=db dbname=ir user=ir sslmode=require', 'postgres://ir@db:5432/ir?application_name=x']) {
      expect(redactUrl(url, { keepUser: true })).toBe(url);
    }
  });
});

describe('isSecretName', () => {
  it.each([
    ['PGPASSWORD', true],
    ['REDISCLI_AUTH', true],
    ['GITHUB_TOKEN', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['API_KEY', true],
    ['MYSQL_PWD', true],
    ['DB_PASSWD', true],
    ['PWD', false],
    ['OLDPWD', false],
    ['AWS_ACCESS_KEY_ID', false],
    ['SSH_KEY_FILE', false],
    ['KUBECONFIG', false],
    ['REDIS_HOST', false],
    ['PATH', false],
  ])('%s → %s', (name, want) => expect(isSecretName(name)).toBe(want));
});

describe('createMasker', () => {
  const mask = createMasker(['s3cr3t-value']);
  it.each([
    ['a declared value anywhere', 'got s3cr3t-value back', `got ${MASK} back`],
    ['PGPASSWORD=…', 'PGPASSWORD=hunter22 psql -c "select 1"', `PGPASSWORD=${MASK} psql -c "select 1"`],
    ['a quoted credential assignment', 'export API_TOKEN="abc def"', `export API_TOKEN="${MASK}"`],
    ['a reference is left alone', 'PGPASSWORD="$PGPASSWORD" psql', 'PGPASSWORD="$PGPASSWORD" psql'],
    [
      'Authorization: Bearer',
      'curl -H "Authorization: Bearer eyJhbGciOi.x.y" u',
      `curl -H "Authorization: Bearer ${MASK}" u`,
    ],
    ['a bare Bearer token', '> bearer? Bearer abcdefgh12345', `> bearer? Bearer ${MASK}`],
    ['an AWS access key id', 'key AKIAIOSFODNN7EXAMPLE in use', `key ${MASK} in use`],
    [
      'aws_secret_access_key',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      `aws_secret_access_key = ${MASK}`,
    ],
    ['a GitHub token, undeclared', 'cloned with ghp_R4nd0mT0kenV4lue9876543210abcd ok', `cloned with ${MASK} ok`],
    ['a fine-grained GitHub token', 'github_pat_11ABCDEFG0123456789_abcdefXYZ', MASK],
    ['a GitLab token', 'PRIVATE-TOKEN: glpat-abcdefghij0123456789', `PRIVATE-TOKEN: ${MASK}`],
    ['a Slack token', 'bot xoxb-1234567890-abcdefghijkl posted', `bot ${MASK} posted`],
    ['a Stripe live key', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', MASK],
    [
      'words that only start like a token',
      'ghp_ is a prefix; xoxb- too; sk_live_x',
      'ghp_ is a prefix; xoxb- too; sk_live_x',
    ],
    ['a URL password', 'postgres://app:pa55word@db:5432/x', `postgres://app:${MASK}@db:5432/x`],
    [
      'a URL password holding /',
      'GET http://bob:pa/ss@127.0.0.1:19090/api',
      `GET http://bob:${MASK}@127.0.0.1:19090/api`,
    ],
    ['--password=', 'mysql --password=topsecret -e x', `mysql --password=${MASK} -e x`],
    ['a JSON password field', '{"user":"a","password":"p4ss"}', `{"user":"a","password":"${MASK}"}`],
    ['curl -u user:password', 'curl -su admin:curlpw333 https://x', `curl -su admin:${MASK} https://x`],
    ['curl --user user:password', 'curl --user admin:curlpw333 https://x', `curl --user admin:${MASK} https://x`],
    ['redis-cli -a password', 'redis-cli -h h -a "redispw222" info', `redis-cli -h h -a "${MASK}" info`],
    ['mysql -pPASSWORD', 'mysql -u root -pmysqlpw444 -e x', `mysql -u root -p${MASK} -e x`],
    ['mysql -p alone asks for it', 'mysql -u root -p -e x', 'mysql -u root -p -e x'],
    ['REDISCLI_AUTH=', 'REDISCLI_AUTH=rcauth555 redis-cli ping', `REDISCLI_AUTH=${MASK} redis-cli ping`],
    ['a YAML password', 'db:\n  password: yamlpw666\n  user: app', `db:\n  password: ${MASK}\n  user: app`],
    [
      'a Kubernetes Secret',
      'data:\n  password: aHVudGVyMg==\n  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1J',
      `data:\n  password: ${MASK}\n  tls.key: ${MASK}`,
    ],
    [
      'keys spelled with a hyphen',
      'api-key: QUtJQUlPU0ZPRE5O\n"access-key": "k3y-v4lue"\nprivate_key: pk1234',
      `api-key: ${MASK}\n"access-key": "${MASK}"\nprivate_key: ${MASK}`,
    ],
    [
      'a container env entry (kubectl get pod -o yaml)',
      '- name: DB_PASSWORD\n  value: "hunter2hunter"\n- name: LOG_LEVEL\n  value: info',
      `- name: DB_PASSWORD\n  value: "${MASK}"\n- name: LOG_LEVEL\n  value: info`,
    ],
    [
      'a container env entry (kubectl get pod -o json)',
      '{"name": "STRIPE_SECRET_KEY", "value": "sk_test_abcdefgh12345678"}, {"name": "X", "value": "y"}',
      `{"name": "STRIPE_SECRET_KEY", "value": "${MASK}"}, {"name": "X", "value": "y"}`,
    ],
    ['a YAML key that names a secret', 'secretName: db-creds\ntokenRef: x', 'secretName: db-creds\ntokenRef: x'],
    [
      'a PEM private key',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\nZ29vZA==\n-----END RSA PRIVATE KEY-----\nok',
      `-----BEGIN RSA PRIVATE KEY-----\n${MASK}\n-----END RSA PRIVATE KEY-----\nok`,
    ],
    ['options that only look alike', 'ls -a /tmp; grep -u x; sort -u f', 'ls -a /tmp; grep -u x; sort -u f'],
    ['ordinary text', 'PONG\nredis_version:7.0', 'PONG\nredis_version:7.0'],
    ['a URL without a password', 'https://user@host/x', 'https://user@host/x'],
  ])('%s', (_what, input, want) => expect(mask(input)).toBe(want));

  it('hides a value containing another one whole (longest first)', () => {
    const m = createMasker(['abcd', 'abcdefgh']);
    expect(m('x abcdefgh y abcd')).toBe(`x ${MASK} y ${MASK}`);
  });
  it('hides a known value URL-encoded (any flavour) or base64-encoded, as a step may print it', () => {
    const secret = 's3cr3t/tok+en=value ü';
    const m = createMasker([secret]);
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    for (const form of [
      encodeURIComponent(secret),
      // Python's quote leaves / alone; lower-case hex; a form's + for a space.
      's3cr3t/tok%2Ben%3Dvalue%20%C3%BC',
      's3cr3t%2ftok%2ben%3dvalue+%c3%bc',
      b64(secret),
      // echo "$X" | base64 encodes the newline too.
      b64(`${secret}\n`),
    ])
      expect(m(`got ${form} here`), form).toBe(`got ${MASK} here`);
    // What it was built from is what it is rebuilt from: the encodings are not encoded again.
    expect(m.values).toEqual([secret]);
    expect(createMasker(['correct horse battery'])('q=correct+horse+battery')).toBe(`q=${MASK}`);
    // Text that only shares its letters is left alone.
    expect(m('s3cr3t tok en value')).toBe('s3cr3t tok en value');
  });
  it('hides a long value base64-encoded as GNU base64 prints it, wrapped at 76 columns', () => {
    const jwt = `eyJhbGciOiJIUzI1NiJ9.${'eyJzdWIiOiJvbmNhbGwiLCJyb2xlIjoiYWRtaW4ifQ'.repeat(2)}.c2lnbmF0dXJlLXZhbHVl`;
    const m = createMasker([jwt]);
    for (const input of [jwt, `${jwt}\n`]) {
      const wrapped = (
        Buffer.from(input)
          .toString('base64')
          .match(/.{1,76}/g) ?? []
      ).join('\n');
      const shown = m(wrapped);
      for (const line of wrapped.split('\n').filter((l) => l.length >= 12)) expect(shown).not.toContain(line);
    }
  });
  it('does not hide short or ordinary values everywhere', () => {
    const m = createMasker(['1', 'true', 'abc']);
    expect(m('1 true abc')).toBe('1 true abc');
  });
});

describe('secretValuesFromEnv', () => {
  it('takes values of credential-named variables only', () => {
    expect(
      secretValuesFromEnv({ GITHUB_TOKEN: 'ghp_xxxxxxxx', PWD: '/home/x', HOME: '/root', DB_PASSWORD: 'true' }),
    ).toEqual(['ghp_xxxxxxxx']);
  });
});

describe('maskingStream', () => {
  it('hides a PEM private key whose lines come in several chunks', () => {
    const s = maskingStream(createMasker());
    const out = [
      s.push('before\n-----BEGIN PRIVATE KEY-----\nMIIEv'),
      s.push('QIBADANBgkqhkiG9w0BAQEFAASC\nBKYwggSiAgEAAoIBAQC7\n'),
      s.push('-----END PRIVATE KEY-----\nafter\n'),
      s.flush(),
    ].join('');
    expect(out).toBe(`before\n-----BEGIN PRIVATE KEY-----\n${MASK}\n-----END PRIVATE KEY-----\nafter\n`);
  });

  it('hides a secret split across chunks', () => {
    const s = maskingStream(createMasker(['topsecretvalue']));
    const out = [s.push('the value is tops'), s.push('ecretvalue\nnext'), s.push(' line'), s.flush()].join('');
    expect(out).toBe(`the value is ${MASK}\nnext line`);
  });

  it('shows a line ended by a carriage return (a progress meter) without waiting for a newline', () => {
    const s = maskingStream(createMasker(['topsecretvalue']));
    // A CR at the end of a chunk may be half of a CRLF: it waits for the next chunk.
    expect(s.push(' 10%\r')).toBe('');
    expect(s.push(' 20%\r')).toBe(' 10%\r');
    expect(s.push(' 30%\r 4')).toBe(' 20%\r 30%\r');
    expect(s.flush()).toBe(' 4');
  });

  it('never passes on half of a CRLF', () => {
    const s = maskingStream(createMasker());
    expect([s.push('HTTP/1.1 200 OK\r'), s.push('\nServer: x\r\n')]).toEqual(['', 'HTTP/1.1 200 OK\r\nServer: x\r\n']);
  });

  it.each([
    ['YAML', '        - name: DB_PASSWORD\n', '          value: hunter2-db-pass\n'],
    ['YAML, CRLF', '- name: DB_PASSWORD\r\n', '  value: hunter2-db-pass\r\n'],
    ['JSON', '{\n  "name": "DB_PASSWORD",\n', '  "value": "hunter2-db-pass"\n}\n'],
  ])('hides an environment entry whose value line comes in the next chunk (%s)', (_what, first, second) => {
    const s = maskingStream(createMasker());
    const out = [s.push(first), s.push(second), s.flush()].join('');
    expect(out).not.toContain('hunter2');
    expect(out).toBe(createMasker()(first + second));
  });

  it('hides a secret in a long line without a newline, wherever the chunks cut it', () => {
    // A one-line JSON body (curl) longer than what is held back of a line: it is passed on in
    // parts, and no part may end inside a secret value or a credential's shape.
    const secret = 'pwMaterial-112233-abcdef';
    for (const [pad, size] of [
      [4080, 1],
      [4090, 7],
      [4070, 64],
      [4050, 4096],
      [8170, 1000],
      [4000, 4100],
      [16_370, 3],
      [20_000, 333],
      [40_000, 20_000],
    ] as const) {
      const line = `${'x'.repeat(pad)}"secret":"${secret}","auth":"Bearer abcdefgh12345678",${'y'.repeat(5000)}`;
      const s = maskingStream(createMasker([secret]));
      const parts: string[] = [];
      for (let i = 0; i < line.length; i += size) parts.push(s.push(line.slice(i, i + size)));
      parts.push(s.flush());
      // Compared as booleans: a failure must not print 10 kB of x.
      expect(parts.join('') === createMasker([secret])(line), `chunks of ${size}: all passed on, masked`).toBe(true);
      // Nothing of either shows in any part passed on (not even its start).
      expect(
        parts.filter((p) => /pwMat|abcdefgh/.test(p)).length,
        `chunks of ${size}: parts showing a piece of a secret`,
      ).toBe(0);
      // A line longer than what is held back is still shown as it comes, not only at its end.
      if (line.length > 30_000) expect(parts.slice(0, -1).join('').length).toBeGreaterThan(10_000);
    }
  });
});

describe('hideCutSecret', () => {
  it('hides a tail that is the start of a secret, as output cut inside one ends', () => {
    expect(hideCutSecret('bbbbpwMate', ['pwMaterial-112233'])).toBe(`bbbb${MASK}`);
    expect(hideCutSecret('bbbb', ['pwMaterial-112233'])).toBe('bbbb');
    // The longest start of any value wins; a whole value is left for the masker.
    expect(hideCutSecret('x hunter', ['hunter2', 'unterwegs'])).toBe(`x ${MASK}`);
    expect(hideCutSecret('x pwMaterial-112233', ['pwMaterial-112233'])).toBe('x pwMaterial-112233');
  });

  it('hides a private key whose END line was cut off', () => {
    const cut = 'ok\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA';
    expect(hideCutSecret(cut, [])).toBe(`ok\n-----BEGIN RSA PRIVATE KEY-----\n${MASK}`);
  });
});
