from ..secrets import classify_secret, mask
from .base import InvalidExample, Rule


class HardcodedCredential(Rule):
    """
    ## What it does
    Reports credentials written into the notebook: Azure storage connection strings and account
    keys, SAS tokens, AWS access keys, bearer tokens, passwords in URLs, literals passed as
    `password=` / `api_key=`, and high-entropy strings assigned to names like `key`, `token`,
    `secret`. The message never repeats the secret.

    ## Why is this bad
    Whatever is in the notebook ends up in the job's code snapshot, in git and in every copy of it.

    ## Fix safety
    Safe, and always applied by `convert` and `split` (`--no-fix NB601` is refused): the literal
    becomes `os.environ["NAME"]`, named after what holds it, so the secret never reaches a file
    nb2aml writes; the job's README lists the variables to set where it runs.
    """

    CODE = "NB601"
    NAME = "HardcodedCredential"
    MESSAGE = "hard-coded credential"
    SEVERITY = "error"
    FIX = "safe"
    VALID = [
        "import os\nkey = os.environ['STORAGE_KEY']\n",
        "token_column = 'customer_token_id'\n",
        "password_hint = 'ask the admin'\n",
    ]
    INVALID = [
        InvalidExample(
            "conn = 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey="
            + "A" * 86
            + "==;EndpointSuffix=core.windows.net'\n"
            "print(len(conn))\n",
            at=(1, 1, 8),
            message=(
                "hard-coded Azure storage connection string assigned to `conn` (179 characters, starting 'Defa'): "
                "read it from an environment variable"
            ),
            fixed="conn = os.environ['CONN']\nprint(len(conn))\n",
        ),
        InvalidExample(
            "aws_key = 'AKIA" + "ABCDEFGHIJKLMNOP" + "'\nprint(aws_key[:4])\n",
            at=(1, 1, 11),
            message="hard-coded AWS access key assigned to `aws_key` (20 characters, starting 'AKIA'): "
            "read it from an environment variable",
            fixed="aws_key = os.environ['AWS_KEY']\nprint(aws_key[:4])\n",
        ),
        InvalidExample(
            "url = 'postgresql://admin:Pa55word!@db.example.com:5432/sales'\nprint(url.split(':')[0])\n",
            at=(1, 1, 7),
            message="hard-coded password in a URL assigned to `url` (54 characters, starting 'post'): "
            "read it from an environment variable",
            fixed="url = os.environ['URL']\nprint(url.split(':')[0])\n",
        ),
        InvalidExample(
            "import requests\n"
            "r = requests.get('https://x', headers={'Authorization': 'Bearer "
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc'})\n"
            "print(r.status_code)\n",
            at=(1, 2, 57),
            message=(
                "hard-coded bearer token assigned to `Authorization` (47 characters, starting 'Bear'): "
                "read it from an environment variable"
            ),
            fixed="import requests\n"
            "r = requests.get('https://x', headers={'Authorization': os.environ['AUTHORIZATION']})\n"
            "print(r.status_code)\n",
        ),
        InvalidExample(
            "api_token = 'f3b9c2a7d41e8b6c0a9e7d5c3b1a2f4e'\nprint(len(api_token))\n",
            at=(1, 1, 13),
            message="hard-coded secret assigned to `api_token` (32 characters, starting 'f3b9'): "
            "read it from an environment variable",
            fixed="api_token = os.environ['API_TOKEN']\nprint(len(api_token))\n",
        ),
    ]

    def check(self, nb):
        seen = set()
        for _, literal in nb.facts.literals:
            kind = classify_secret(literal.value, literal.bound_to)
            if kind is None or literal.pos in seen:
                continue
            seen.add(literal.pos)
            where = f" assigned to `{literal.bound_to}`" if literal.bound_to else ""
            yield self.finding(
                literal.pos,
                f"hard-coded {kind}{where} ({mask(literal.value)}): read it from an environment variable",
                end=literal.end,
            )
