"""MOTCUA_SIGNING_TRUST_ROOTS lists PEM/DER files or directories: a directory contributes every certificate
file in it (by extension, any case, in name order), other files and missing entries are skipped."""
import shutil

from motcua.signing import services


def test_a_directory_of_roots_contributes_its_certificate_files_only(settings, pki, tmp_path):
    folder = tmp_path / "roots"
    folder.mkdir()
    shutil.copy(pki.root_pem_path, folder / "b-root.pem")
    (folder / "a-root.CER").write_bytes(pki.root.asn1.dump())          # DER, upper-case extension
    (folder / "readme.txt").write_text("không phải chứng thư")
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(folder), str(tmp_path / "missing.pem")]
    roots = services.trust_roots()
    assert [r.sha256 for r in roots] == [pki.root.asn1.sha256] * 2
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(pki.root_pem_path)]
    assert [r.sha256 for r in services.trust_roots()] == [pki.root.asn1.sha256]
