"""Publishing the built site to an S3-compatible bucket (Aliyun OSS, Tencent COS, Cloudflare R2, MinIO, AWS S3):
`nianbao publish SITE --to s3://bucket/prefix` uploads only the files that changed and removes the ones gone.

`headers.py` says what each file is served as (Content-Type, Cache-Control); `plan.py` decides what to upload
and delete from the site's files, the bucket's listing and the manifest kept in the bucket; `bucket.py` talks to
the bucket (boto3) and carries a deploy out.
"""
