"""Before every signature: is the certificate the signer will really use still good?

`check_signing_certificate(signer, ...)` builds the path from the signer's certificate to a configured trust
root and asks for its revocation status: OCSP first (the responder named in the certificate's AIA), then
the CRL (its distribution points) when OCSP gives no answer. It fails closed: a revoked certificate, a
path to no trusted root, or a status nobody could give (responder down, CRL unreachable, no URL at all)
all refuse the signature. There is no grace period: a certificate revoked an hour ago must not sign, and
an answer we could not get is not a "good".
"""
import aiohttp
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import (ExpiredError, InsufficientRevinfoError, NotYetValidError,
                                          PathBuildingError, PathValidationError, RevokedError, ValidationError)
from pyhanko_certvalidator.policy_decl import (CertRevTrustPolicy, RevocationCheckingPolicy,
                                               RevocationCheckingRule)

from .common import KeySourceError

# The signer's own certificate must have an OCSP or CRL answer; CA certificates above it are checked when
# they name a source (the root itself has none).
POLICY = CertRevTrustPolicy(RevocationCheckingPolicy(
    ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
    intermediate_ca_cert_rule=RevocationCheckingRule.CHECK_IF_DECLARED))


class CertificateRefused(KeySourceError):
    """The certificate must not sign now (revoked, status unknown, untrusted, expired)."""


async def check_signing_certificate(signer, trust_roots, *, timeout=10, http=None):
    """Raise CertificateRefused unless the signer's certificate chains to `trust_roots` and OCSP (or else
    the CRL) says it is not revoked, right now."""
    from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

    if not trust_roots:
        raise CertificateRefused("Chưa cấu hình chứng thư gốc tin cậy (MOTCUA_SIGNING_TRUST_ROOTS): không thể "
                                 "kiểm tra tình trạng chứng thư số trước khi ký.", code="trust_roots_not_configured")
    cert = signer.signing_cert
    others = [c for c in (signer.cert_registry or ()) if c.dump() != cert.dump()]
    own_session = http is None
    http = http or aiohttp.ClientSession()
    try:
        vc = ValidationContext(trust_roots=list(trust_roots), other_certs=others, allow_fetching=True,
                               revinfo_policy=POLICY,
                               fetcher_backend=AIOHttpFetcherBackend(session=http, per_request_timeout=timeout))
        validator = CertificateValidator(cert, intermediate_certs=others, validation_context=vc)
        await validator.async_validate_path()
    except RevokedError as e:
        raise CertificateRefused("Chứng thư số đã bị thu hồi: không được ký số bằng chứng thư này.",
                                 code="certificate_revoked") from e
    except (ExpiredError, NotYetValidError) as e:
        raise CertificateRefused("Chứng thư số đã hết hạn hoặc chưa có hiệu lực: không thể ký.",
                                 code="certificate_expired") from e
    except InsufficientRevinfoError as e:
        raise CertificateRefused("Không xác định được tình trạng thu hồi của chứng thư số (OCSP và CRL đều "
                                 "không trả lời hợp lệ). Hệ thống không ký khi chưa kiểm tra được; vui lòng "
                                 "thử lại sau.", code="revocation_unknown") from e
    except PathBuildingError as e:
        raise CertificateRefused("Chứng thư số không thuộc chuỗi tin cậy đã cấu hình: không thể ký.",
                                 code="certificate_untrusted") from e
    except (PathValidationError, ValidationError) as e:
        raise CertificateRefused(f"Chứng thư số không hợp lệ để ký: {e}", code="certificate_invalid") from e
    finally:
        if own_session:
            await http.close()
