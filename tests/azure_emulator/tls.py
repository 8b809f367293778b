"""A throw-away certificate authority for the TLS-intercepting proxy.

The CA is made once (per test session, or persisted under ~/.cache for ``serve``); a leaf
certificate is minted on demand for every host name a client connects to (SAN = that DNS
name) and cached as a ready :class:`ssl.SSLContext`.
"""

from __future__ import annotations

import datetime as dt
import ssl
import tempfile
import threading
from pathlib import Path

import certifi
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

_ONE_DAY = dt.timedelta(days=1)


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


class CertificateAuthority:
    """An emulator root CA that signs one leaf certificate per host name."""

    def __init__(
        self, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey, workdir: Path
    ) -> None:
        self.cert = cert
        self.key = key
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.cert_pem = cert.public_bytes(serialization.Encoding.PEM)
        self.ca_file = workdir / "emulator-ca.pem"
        self.ca_file.write_bytes(self.cert_pem)
        # certifi's public roots + this CA: what REQUESTS_CA_BUNDLE / SSL_CERT_FILE point at,
        # so a client can still reach genuine hosts (it never does in tests) and the emulator.
        self.bundle_file = workdir / "ca-bundle.pem"
        self.bundle_file.write_bytes(Path(certifi.where()).read_bytes() + b"\n" + self.cert_pem)
        self._leaf_key = ec.generate_private_key(ec.SECP256R1())
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._lock = threading.Lock()

    # -- construction -------------------------------------------------------------------
    @classmethod
    def create(cls, workdir: Path | None = None) -> CertificateAuthority:
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, "TuneDesk Azure Emulator CA"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "TuneDesk tests"),
            ]
        )
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _ONE_DAY)
            .not_valid_after(now + 3650 * _ONE_DAY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .sign(key, hashes.SHA256())
        )
        return cls(cert, key, workdir or Path(tempfile.mkdtemp(prefix="azure-emulator-")))

    @classmethod
    def load_or_create(cls, directory: Path) -> CertificateAuthority:
        """Persistent CA for ``python -m tests.azure_emulator serve`` (trust it once)."""
        cert_path, key_path = directory / "ca-cert.pem", directory / "ca-key.pem"
        if cert_path.exists() and key_path.exists():
            cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
            key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
            assert isinstance(key, ec.EllipticCurvePrivateKey)
            return cls(cert, key, directory)
        ca = cls.create(directory)
        cert_path.write_bytes(ca.cert_pem)
        key_path.write_bytes(_pem_key(ca.key))
        key_path.chmod(0o600)
        return ca

    # -- leaf certificates ----------------------------------------------------------------
    def context_for(self, host: str) -> ssl.SSLContext:
        host = host.lower().rstrip(".")
        with self._lock:
            ctx = self._contexts.get(host)
            if ctx is None:
                ctx = self._contexts[host] = self._make_context(host)
            return ctx

    def _make_context(self, host: str) -> ssl.SSLContext:
        now = dt.datetime.now(dt.UTC)
        leaf = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
            .issuer_name(self.cert.subject)
            .public_key(self._leaf_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _ONE_DAY)
            .not_valid_after(now + 365 * _ONE_DAY)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
            .sign(self.key, hashes.SHA256())
        )
        safe = "".join(c if c.isalnum() or c in ".-" else "_" for c in host)
        chain = self.workdir / f"leaf-{safe}.pem"
        chain.write_bytes(
            leaf.public_bytes(serialization.Encoding.PEM) + self.cert_pem + _pem_key(self._leaf_key)
        )
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(chain)
        ctx.set_alpn_protocols(["http/1.1"])
        return ctx

    def sni_context(self, default_host: str) -> ssl.SSLContext:
        """Context for one CONNECT tunnel: SNI picks the leaf, the CONNECT host is the fallback."""
        base = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        base.minimum_version = ssl.TLSVersion.TLSv1_2
        base.set_alpn_protocols(["http/1.1"])
        self.context_for(default_host)
        # The base context needs a certificate of its own for clients that send no SNI.
        safe = "".join(c if c.isalnum() or c in ".-" else "_" for c in default_host.lower())
        base.load_cert_chain(self.workdir / f"leaf-{safe}.pem")

        def pick(
            sock: ssl.SSLObject | ssl.SSLSocket, server_name: str | None, _: ssl.SSLContext
        ) -> None:
            if server_name:
                sock.context = self.context_for(server_name)

        base.sni_callback = pick  # type: ignore[assignment]
        return base
