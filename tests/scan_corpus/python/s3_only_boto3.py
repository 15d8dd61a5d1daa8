"""Uploads reports to S3. (Not Bedrock: boto3 is a general AWS SDK.)"""
import boto3

s3 = boto3.client("s3")
s3.upload_file("report.pdf", "reports", "report.pdf")
