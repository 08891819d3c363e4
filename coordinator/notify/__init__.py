"""Sending what the outbox holds: the HTTP and SMTP senders and the delivery worker that runs them."""
