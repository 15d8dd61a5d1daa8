from yandex_cloud_ml_sdk import YCloudML

sdk = YCloudML(folder_id="b1g...", auth="...")
model = sdk.models.completions("yandexgpt")
