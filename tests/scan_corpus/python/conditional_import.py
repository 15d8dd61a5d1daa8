try:
    import mistralai
except ImportError:  # optional extra
    mistralai = None


def client():
    return mistralai.Mistral(api_key="...") if mistralai else None
