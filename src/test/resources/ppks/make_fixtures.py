# Makes the ppks test fixtures with Python `cryptography` (the library ppksman uses), following
# the ppksman profile of spec/certificates.md §2 and §7. Run from this directory:
#   python3 make_fixtures.py
# Ed25519 is deterministic, so the output is the same on every run except the encrypted key's salt/IV.
import datetime
from cryptography import x509
from cryptography.x509.oid import NameOID, ObjectIdentifier
from cryptography.hazmat.primitives import serialization, hashes

def load(name):
    return serialization.load_pem_private_key(open('../vectors/creds-reference/keys/' + name, 'rb').read(), None)

def keyid(pub):
    h = hashes.Hash(hashes.SHA256())
    h.update(pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))
    return h.finalize()

def octets(text):
    data = text.encode('ascii')
    n = len(data)
    length = bytes([n]) if n < 128 else bytes([0x81, n]) if n < 256 else bytes([0x82, n >> 8, n & 0xff])
    return b'\x04' + length + data

NAME = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, ' ')])
INFO = ObjectIdentifier('1.2.3.1')
LIMIT = ObjectIdentifier('1.2.3.3')

def ku(ca):
    return x509.KeyUsage(digital_signature=not ca, content_commitment=False, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=False,
                         encipher_only=False, decipher_only=False)

def cert(signer, subject_pub, serial, info, limit, ca, path_len):
    b = (x509.CertificateBuilder().issuer_name(NAME).subject_name(NAME).public_key(subject_pub)
         .serial_number(serial)
         .not_valid_before(datetime.datetime.fromtimestamp(0, datetime.timezone.utc))
         .not_valid_after(datetime.datetime.fromtimestamp(2147483647, datetime.timezone.utc))
         .add_extension(x509.AuthorityKeyIdentifier(keyid(signer.public_key()), None, None), False)
         .add_extension(x509.SubjectKeyIdentifier(keyid(subject_pub)), False)
         .add_extension(ku(ca), True)
         .add_extension(x509.BasicConstraints(ca, path_len), True)
         .add_extension(x509.UnrecognizedExtension(INFO, octets(info)), True))
    if limit:
        b = b.add_extension(x509.UnrecognizedExtension(LIMIT, octets(limit)), True)
    return b.sign(signer, None)

eop, exper = load('k_eop'), load('k_exper')
MON = 'ab' * 32
LIMITS = ('monitor=' + MON + ';max_num_priority=5;max_socket_count=10;max_exp_period=60000000000;'
          'max_send_byte=1000000;max_send_pkt=1000;max_recv_byte=2000000;max_recv_pkt=2000;'
          'max_burst_rate_byte=100000/1000000000,500000/10000000000;max_burst_rate_pkt=100/1000000000;'
          'valid_dest=127.0.0.0/8,::1,10.1.0.0/16;src_ip_spoofing=0;note=x;')
c = cert(eop, exper.public_key(), 7, 'cert_type=delpriv;del_type=exppriv;cert_desc=lab 3 (2025);', LIMITS, True, 1)
open('delpriv_limits_eop_exper.cert', 'wb').write(c.public_bytes(serialization.Encoding.PEM))

csr = (x509.CertificateSigningRequestBuilder().subject_name(NAME)
       .add_extension(x509.UnrecognizedExtension(INFO, octets('cert_type=exppriv;cert_desc=please;')), True)
       .add_extension(x509.UnrecognizedExtension(LIMIT, octets('max_socket_count=10;valid_dest=127.0.0.1;')), True)
       .add_extension(x509.BasicConstraints(True, 0), True)
       .sign(exper, None))
open('exppriv_exper.csr', 'wb').write(csr.public_bytes(serialization.Encoding.PEM))

open('k_exper.pbes2.pem', 'wb').write(exper.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                          serialization.BestAvailableEncryption(b'pktlab')))
