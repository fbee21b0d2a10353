"""Orders: order numbers, the payment saga and its compensations, cancellations, refunds."""
