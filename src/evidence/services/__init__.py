"""Use cases the clients share that are neither the engine nor the review loop: building an analyzer with the
model in use, screening a batch into the store, the demo set-up, and the users file."""
