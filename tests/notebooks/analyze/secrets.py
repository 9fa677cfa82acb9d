# %%
import requests

conn = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwx==;EndpointSuffix=core.windows.net"
aws_key = "AKIAABCDEFGHIJKLMNOP"
password = "hunter2hunter2"
db_url = "postgresql://admin:Pa55word!@db.example.com:5432/sales"
api_token = "f3b9c2a7d41e8b6c0a9e7d5c3b1a2f4e"
token_column = "customer_token_id"
# %%
r = requests.get("https://example.com/api", headers={"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc"})
print(conn, aws_key, password, db_url, api_token, token_column, r.status_code)
