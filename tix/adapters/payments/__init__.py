"""Payment gateways: offline tenders (cash, complimentary) and, later, Stripe."""
