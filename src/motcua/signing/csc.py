"""Client for a remote signing service speaking the Cloud Signature Consortium API v2.

pyHanko's `CSCSigner` speaks the v1 field names; v2 renamed some of them (``hash`` -> ``hashes``,
``hashAlgo`` -> ``hashAlgorithmOID``, ``credentials/authorize`` takes ``hashes``/``hashAlgorithmOID`` and
``numSignatures``). This module keeps pyHanko's batching signer and swaps in the v2 requests:

    POST {base}/csc/v2/auth/login            (HTTP Basic)            -> {"access_token": ...}
    POST {base}/csc/v2/credentials/info      {credentialID, certificates: "chain", certInfo}
    POST {base}/csc/v2/credentials/authorize {credentialID, numSignatures, hashes, hashAlgorithmOID, PIN}
                                                                      -> {"SAD": ...}
    POST {base}/csc/v2/signatures/signHash   {credentialID, SAD, hashes, hashAlgorithmOID, signAlgo}
                                                                      -> {"signatures": [...]}
"""
import base64

from asn1crypto import algos
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import csc_signer as pc

from .common import KeySourceError


def _v2_session(service_url, credential_id, token):
    return pc.CSCServiceSessionInfo(service_url=service_url.rstrip("/"), credential_id=credential_id,
                                    oauth_token=token, api_ver="v2")


class V2AuthorizationManager(pc.CSCAuthorizationManager):
    """Asks for a SAD per batch of hashes (credentials/authorize, CSC v2), with the PIN as the factor."""

    def __init__(self, http, session_info, credential_info, pin):
        super().__init__(session_info, credential_info)
        self.http = http
        self.pin = pin

    async def authorize_signature(self, hash_b64s):
        body = {"credentialID": self.csc_session_info.credential_id, "numSignatures": len(hash_b64s),
                "hashes": list(hash_b64s), "hashAlgorithmOID": self._hash_oid}
        if self.pin is not None:
            body["PIN"] = self.pin
        url = self.csc_session_info.endpoint_url("credentials/authorize")
        async with self.http.post(url, headers=self.auth_headers, json=body) as resp:
            data = await resp.json(content_type=None)
            if resp.status != 200:
                raise SigningError(f"credentials/authorize: {resp.status} {data}")
        return pc.CSCAuthorizationInfo(sad=data["SAD"])

    _hash_oid = algos.DigestAlgorithmId("sha256").dotted


class V2Signer(pc.CSCSigner):
    async def format_csc_signing_req(self, tbs_hashes, digest_algorithm):
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        self.auth_manager._hash_oid = algos.DigestAlgorithmId(digest_algorithm).dotted
        auth = await self.auth_manager.authorize_signature(tbs_hashes)
        body = {"credentialID": self.auth_manager.csc_session_info.credential_id, "SAD": auth.sad,
                "hashes": list(tbs_hashes), "hashAlgorithmOID": algos.DigestAlgorithmId(digest_algorithm).dotted,
                "signAlgo": mechanism["algorithm"].dotted, "operationMode": "S"}
        if mechanism["parameters"].native is not None:
            body["signAlgoParams"] = base64.b64encode(mechanism["parameters"].dump()).decode("ascii")
        return body


async def _login(http, service_url, username, password):
    url = f"{service_url.rstrip('/')}/csc/v2/auth/login"
    basic = base64.b64encode(f"{username}:{password or ''}".encode()).decode("ascii")
    async with http.post(url, headers={"Authorization": f"Basic {basic}"}, json={}) as resp:
        data = await resp.json(content_type=None)
        if resp.status != 200:
            raise KeySourceError(f"Đăng nhập dịch vụ ký số từ xa thất bại ({resp.status}).",
                                 code="remote_signing_auth_failed")
    return data["access_token"]


async def open_csc_v2_signer(http, service_url, credential_id, *, token=None, username=None, password=None,
                             pin=None):
    if not token and username:
        token = await _login(http, service_url, username, password)
    session_info = _v2_session(service_url, credential_id, token)
    try:
        credential_info = await pc.fetch_certs_in_csc_credential(http, session_info)
    except SigningError as e:
        raise KeySourceError(f"Không đọc được chứng thư số từ dịch vụ ký số từ xa: {e}",
                             code="remote_signing_failed") from e
    auth = V2AuthorizationManager(http, session_info, credential_info, pin)
    return V2Signer(http, auth)
