"""Reading a cluster: batched reads into typed models that keep their raw JSON, and nothing that writes."""
