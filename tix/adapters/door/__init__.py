"""The door's files: door packs (signed), the door key (sealing holders), scan logs
(hash-chained, append-only) and the exchange of logs between devices on a LAN."""
