"""SSH keys the lab makes for itself, so that its host keys are known before first contact.

Generating the nodes' host keys here (instead of letting sshd make its own)
means known_hosts is written from what we put on the node, not from what answers
on the wire: strict checking holds from the very first connection.
"""

from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


@dataclass(frozen=True)
class KeyPair:
    private: bytes  # OpenSSH format, as sshd and paramiko read it
    public: str  # "ssh-ed25519 AAAA..."


def ed25519(comment: str = "") -> KeyPair:
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    return KeyPair(private, f"{public} {comment}".strip())


def known_hosts_line(address: str, port: int, public: str) -> str:
    host = address if port == 22 else f"[{address}]:{port}"
    kind, blob = public.split()[:2]
    return f"{host} {kind} {blob}\n"
