# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Applications, the tokens they exchange their credentials for, and who a bearer token speaks for.

Tokens are HS256 JWTs signed with a key kept in the state database, so they survive a restart. The payload is
written so that its base64 text holds none of `+ / - _`: the vendor SDK decodes it with the standard alphabet
(and fails on `-`/`_`), JWT tools with the URL-safe one, and both then read the same `exp`.
"""

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from runai_simulator.errors import ApiError, BadRequest, Unauthorized
from runai_simulator.seeds import TENANT_ID, projects_named

ISSUER = "runai-simulator"
_TOKEN_CACHE_LIMIT = 50000
# ASCII bytes whose position in a base64 triplet can yield the sextets 62 or 63 ('+'/'/' or '-'/'_').
_BASE64_SAFE_ESCAPES = {">": "\\u003e", "?": "\\u003f", "~": "\\u007e", "\x7f": "\\u007f"}


@dataclass(frozen=True)
class App:
    """Credentials of an application (service account); project_ids None means every project."""

    client_id: str
    secret: str
    project_ids: frozenset = None


@dataclass(frozen=True)
class Principal:
    client_id: str
    project_ids: frozenset = None

    def may_access(self, project_id):
        return self.project_ids is None or project_id in self.project_ids


def restricted_app(spec):
    """An App from `ID:SECRET:project-a,team-a` (project names; a name present in two clusters means both)."""
    parts = spec.split(":", 2)
    if len(parts) != 3 or not all(parts):
        raise ValueError("a restricted app is ID:SECRET:project[,project...]")
    names = [name.strip() for name in parts[2].split(",") if name.strip()]
    project_ids = projects_named(names)
    if len(project_ids) == 0:
        raise ValueError("restricted app %s names no known project" % parts[0])
    return App(parts[0], parts[1], project_ids)


class OAuthError(ApiError):
    """An RFC 6749 error body, as POST /api/v2/token answers."""

    def __init__(self, status, error, description=None):
        super().__init__(description or error)
        self.status, self.error, self.description = status, error, description

    def body(self):
        body = {"error": self.error}
        if self.description:
            body["error_description"] = self.description
        return body


def _b64(data):
    return base64.b64encode(data).rstrip(b"=").decode("ascii")


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _payload_json(claims):
    text = json.dumps(claims, separators=(",", ":"), ensure_ascii=True)
    for character, escape in _BASE64_SAFE_ESCAPES.items():
        text = text.replace(character, escape)
    return text.encode("ascii")


_HEADER = _b64(b'{"alg":"HS256","typ":"JWT"}')


class Authenticator:
    def __init__(self, apps, admin_token, token_ttl, store, vocabulary, clock):
        self._apps = {app.client_id: app for app in apps}
        self._admin_token = admin_token.encode("utf-8")
        self.default_ttl = token_ttl
        self.ttl_override = None
        self._store, self._vocabulary, self._clock = store, vocabulary, clock
        key = store.meta("signing_key")
        if key is None:
            key = secrets.token_hex(32)
            store.set_meta("signing_key", key)
        self._key = bytes.fromhex(key)
        self._generation = int(store.meta("token_generation", "0"))
        self._verified = {}

    @property
    def ttl(self):
        return self.ttl_override if self.ttl_override is not None else self.default_ttl

    # ---- issuing
    def _app(self, client_id, secret):
        app = self._apps.get(client_id) if isinstance(client_id, str) else None
        if app is None or not isinstance(secret, str) or not hmac.compare_digest(
                app.secret.encode("utf-8"), secret.encode("utf-8")):
            return None
        return app

    def issue(self, app):
        issued = int(self._clock())
        ttl = self.ttl
        claims = {"iss": ISSUER, "sub": app.client_id, "azp": app.client_id, "tenant_id": TENANT_ID,
                  "iat": issued, "exp": issued + ttl, "jti": secrets.token_hex(8), "gen": self._generation}
        signing_input = _HEADER + "." + _b64(_payload_json(claims))
        signature = hmac.new(self._key, signing_input.encode("ascii"), hashlib.sha256).digest()
        return signing_input + "." + _b64url(signature), ttl

    def grant_v1(self, body):
        """POST /api/v1/token: field names matched case-insensitively; client_credentials and app_token."""
        if not isinstance(body, dict):
            raise BadRequest("The request body must be a JSON object")
        fields = {str(key).lower(): value for key, value in body.items()}
        for key, value in fields.items():
            limit = self._vocabulary.token_field_max_length.get(key)
            if limit is not None and isinstance(value, str) and len(value) > limit:
                raise BadRequest("%s is longer than %d characters" % (key, limit))
        grant = fields.get("granttype")
        if grant is None:
            raise BadRequest("Required parameter is missing", details="grantType is required")
        if grant not in self._vocabulary.grant_types:
            raise BadRequest("Unknown grantType %r" % (grant,))
        if grant == "client_credentials":
            client_id, secret = fields.get("clientid"), fields.get("clientsecret")
        elif grant == "app_token":
            client_id, secret = fields.get("appid"), fields.get("appsecret")
        else:
            raise BadRequest("grantType %s is not supported by the simulator; use client_credentials" % grant)
        if not isinstance(client_id, str) or not isinstance(secret, str):
            raise BadRequest("Required parameter is missing", details="the client id and secret are required")
        app = self._app(client_id, secret)
        if app is None:
            raise Unauthorized("Invalid client credentials")
        token, ttl = self.issue(app)
        answer = {"accessToken": token}
        if self._vocabulary.token_expires_in:  # 2.23's TokenResponse has no expiresIn
            answer["expiresIn"] = ttl
        return answer

    def grant_oauth2(self, form):
        """POST /api/v2/token: the OAuth2 client_credentials grant, with RFC 6749 error bodies."""
        grant = form.get("grant_type")
        if not grant:
            raise OAuthError(400, "invalid_request", "grant_type is required")
        if grant != "client_credentials":
            raise OAuthError(400, "unsupported_grant_type", "the simulator supports client_credentials only")
        app = self._app(form.get("client_id"), form.get("client_secret"))
        if app is None:
            raise OAuthError(401, "invalid_client", "Client authentication failed")
        token, ttl = self.issue(app)
        return {"access_token": token, "token_type": "Bearer", "expires_in": ttl}

    def grant_app_token(self, body):
        """POST /v1/k8s/auth/oauth/apptoken (deprecated): {id, name, secret}; wrong credentials are a 400, the
        only error this operation's reference lists."""
        if not isinstance(body, dict) or not all(isinstance(body.get(key), str) for key in ("id", "name", "secret")):
            raise BadRequest("Required parameter is missing", details="id, name and secret are required")
        app = self._app(body["id"], body["secret"])
        if app is None:
            raise BadRequest("Invalid client credentials")
        token = self.issue(app)[0]
        return {"access_token": token, "id_token": token}

    # ---- checking
    def authenticate(self, authorization):
        """The Principal of an `Authorization: Bearer <token>` header value, or Unauthorized."""
        if not authorization:
            raise Unauthorized("Authorization header is missing")
        scheme, _space, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized("Authorization header must be Bearer <token>")
        entry = self._verified.get(token)
        if entry is None:
            entry = self._verify(token)
            if len(self._verified) >= _TOKEN_CACHE_LIMIT:
                self._verified.clear()
            self._verified[token] = entry
        expires, generation, principal = entry
        if generation != self._generation or self._clock() >= expires:
            raise Unauthorized("Token is expired")
        return principal

    def _verify(self, token):
        parts = token.split(".")
        if len(parts) != 3:
            raise Unauthorized()
        expected = hmac.new(self._key, (parts[0] + "." + parts[1]).encode("ascii", "replace"), hashlib.sha256).digest()
        try:
            signature = _unb64url(parts[2])
            claims = json.loads(_unb64url(parts[1]))
        except ValueError:
            raise Unauthorized() from None
        if not hmac.compare_digest(expected, signature) or not isinstance(claims, dict):
            raise Unauthorized()
        app = self._apps.get(claims.get("sub"))
        if app is None:
            raise Unauthorized()
        return claims["exp"], claims["gen"], Principal(app.client_id, app.project_ids)

    def check_admin(self, authorization):
        scheme, _space, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode("utf-8"), self._admin_token):
            raise Unauthorized("The simulator's admin token is required")

    def expire_all(self):
        """Every token issued so far stops working now."""
        self._generation += 1
        self._store.set_meta("token_generation", str(self._generation))
        self._verified.clear()
