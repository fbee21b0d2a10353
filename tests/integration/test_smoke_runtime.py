from tests.support import deliver, logged_in


def test_a_registered_user_can_log_in_and_the_mail_goes_out(runtime, mailer):
    principal = logged_in(runtime)
    assert principal.email == "ann@example.com"
    runtime.accounts.forgot_password("ann@example.com")
    deliver(runtime)
    assert mailer.last_to("ann@example.com").subject == "Reset your tix password"
