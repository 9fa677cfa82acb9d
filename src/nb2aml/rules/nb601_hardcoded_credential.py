from ..secrets import classify_secret, mask
from .base import Rule


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
    No automatic fix in the notebook. `convert` and `split` never copy the literal into a file they
    write: it becomes a required input read from an environment variable.
    """

    CODE = "NB601"
    NAME = "HardcodedCredential"
    MESSAGE = "hard-coded credential"
    SEVERITY = "error"
    VALID = [
        "import os\nkey = os.environ['STORAGE_KEY']\n",
        "token_column = 'customer_token_id'\n",
        "password_hint = 'ask the admin'\n",
    ]
    INVALID = [
        "conn = 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + "A" * 86 + "==;EndpointSuffix=core.windows.net'\n",
        "aws_key = 'AKIA" + "ABCDEFGHIJKLMNOP" + "'\n",
        "url = 'postgresql://admin:Pa55word!@db.example.com:5432/sales'\n",
        "import requests\nr = requests.get('https://x', headers={'Authorization': 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc'})\n",
        "api_token = 'f3b9c2a7d41e8b6c0a9e7d5c3b1a2f4e'\n",
    ]

    def check(self, nb):
        seen = set()
        for _, literal in nb.facts.literals:
            kind = classify_secret(literal.value, literal.bound_to)
            if kind is None or literal.pos in seen:
                continue
            seen.add(literal.pos)
            where = f" assigned to `{literal.bound_to}`" if literal.bound_to else ""
            yield self.finding(literal.pos, f"hard-coded {kind}{where} ({mask(literal.value)}): read it from an environment variable", end=literal.end)
