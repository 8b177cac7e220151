"""The conversation engine and the flows it runs; knows nothing of Flask, Twilio or gateways."""
