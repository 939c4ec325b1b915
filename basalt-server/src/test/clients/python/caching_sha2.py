"""PyMySQL logging in with caching_sha2_password. Run by ClientDriversTest as
`python3 caching_sha2.py HOST PORT USER PASSWORD`: over plain TCP (the RSA public key exchange,
which needs the cryptography package) and over TLS (the clear password), twice each so the second
login takes the server's fast path; a wrong password must give 1045. The last line printed is
"ok caching_sha2 <checks>" when every check passed."""

import ssl
import sys

import pymysql

HOST, PORT, USER, PASSWORD = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
checks = 0


def connect(password, tls):
    context = None
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return pymysql.connect(host=HOST, port=PORT, user=USER, password=password, ssl=context)


for tls in (False, True):
    for login in range(2):
        connection = connect(PASSWORD, tls)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            if cursor.fetchone()[0] != 1:
                raise AssertionError("SELECT 1 after login")
        connection.close()
        checks += 1
    try:
        connect("wrong", tls)
        raise AssertionError("a wrong password logged in")
    except pymysql.err.OperationalError as error:
        if error.args[0] != 1045:
            raise
        checks += 1

print(f"ok caching_sha2 {checks}")
