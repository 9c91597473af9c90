// A real OpenID Connect provider for the single sign-on tests (the npm package oidc-provider).
//
// Started by tests/oidc/conftest.py as `node provider.mjs '<json>'` with the client to register;
// listens on a free loopback port and prints its issuer URL as its first line. Its own login and
// consent pages (devInteractions) take any login name: the person's claims are made from it
// (sub, employee_id = the login name), so a test chooses who logs in by the name it types.
// A login name starting with "utgangen" gets an ID token that has expired when it arrives.
import crypto from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const client = JSON.parse(process.argv[2]);
const EXPIRED_PREFIX = 'utgangen';

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test', alg: 'RS256', use: 'sig' };

  const provider = new Provider(issuer, {
    clients: [{
      client_id: client.client_id,
      client_secret: client.client_secret,
      redirect_uris: client.redirect_uris,
      post_logout_redirect_uris: client.post_logout_redirect_uris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    }],
    jwks: { keys: [signingKey] },
    cookies: { keys: [crypto.randomBytes(16).toString('hex')] },
    claims: {
      openid: ['sub', 'employee_id'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    findAccount: async (ctx, id) => ({
      accountId: id,
      claims: async () => ({
        sub: id,
        employee_id: id,
        email: `${id}@ekbacka.example`,
        email_verified: true,
        name: id,
      }),
    }),
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    pkce: { required: () => true },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 600,
      IdToken: (ctx) => (accountOf(ctx).startsWith(EXPIRED_PREFIX) ? 1 : 600),
      Interaction: 600,
      Session: 600,
    },
  });

  // The expired person's token is held back until it has expired, as a slow network would.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/token' && ctx.body?.id_token) {
      const payload = JSON.parse(Buffer.from(ctx.body.id_token.split('.')[1], 'base64url'));
      if (String(payload.sub).startsWith(EXPIRED_PREFIX)) {
        await new Promise((resolve) => { setTimeout(resolve, 2100); });
      }
    }
  });

  server.on('request', provider.callback());
  console.log(issuer);
});

function accountOf(ctx) {
  return String(ctx?.oidc?.entities?.Account?.accountId ?? ctx?.oidc?.account?.accountId ?? '');
}

process.on('SIGTERM', () => server.close(() => process.exit(0)));
