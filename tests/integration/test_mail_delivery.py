"""Mail through a real SMTP server: retries with back-off, permanent failures, restarts."""

from datetime import timedelta

from tests.smtp_server import free_port
from tests.support import deliver, user
from tix.core.notifications.model import AttachmentRef, Status
from tix.core.ports import Attachment
from tix.core.principal import Role


def runtime_with_smtp(make_runtime, database, url):
    return make_runtime(database, real_mail=True, smtp_url=url)



def queue_reset_mail(runtime) -> None:
    user(runtime)
    runtime.accounts.forgot_password("ann@example.com")


def the_mail(runtime):
    [mail] = [n for n in runtime.notifications.list() if n.template == "password_reset"]
    return mail


def test_temporary_failures_are_retried_with_back_off_until_sent(make_runtime, database,
                                                                 smtp_server, clock):
    url, answers = smtp_server
    runtime = runtime_with_smtp(make_runtime, database, url)
    answers.temporary_failures = 2
    queue_reset_mail(runtime)
    deliver(runtime)
    mail = the_mail(runtime)
    assert (mail.status, mail.attempts) == (Status.FAILED, 1) and "451" in mail.last_error
    assert mail.next_attempt_at == clock.now() + timedelta(minutes=1)
    clock.advance(timedelta(minutes=1))
    deliver(runtime)
    assert (the_mail(runtime).attempts, the_mail(runtime).next_attempt_at) == (
        2, clock.now() + timedelta(minutes=5))
    deliver(runtime)  # not due yet: nothing happens
    assert the_mail(runtime).attempts == 2
    clock.advance(timedelta(minutes=5))
    deliver(runtime)
    assert the_mail(runtime).status is Status.SENT
    [received] = answers.received
    assert received["Subject"] == "Reset your tix password"
    assert received.get_content_type() == "multipart/alternative"


def test_a_permanent_refusal_is_not_retried_and_the_admins_are_told(make_runtime, database,
                                                                   smtp_server, caplog):
    url, answers = smtp_server
    runtime = runtime_with_smtp(make_runtime, database, url)
    user(runtime, "root@example.com", role=Role.ADMIN)
    answers.permanent = True
    queue_reset_mail(runtime)
    deliver(runtime)
    mail = the_mail(runtime)
    assert (mail.status, mail.attempts) == (Status.PERMANENTLY_FAILED, 1)
    assert "550" in mail.last_error
    assert "failed for good" in caplog.text
    [alert] = [n for n in runtime.notifications.list() if n.template == "admin_alert"]
    assert alert.recipient == "root@example.com" and "ann@example.com" in alert.subject


def test_after_three_retries_a_mail_has_failed_for_good(make_runtime, database, clock):
    runtime = runtime_with_smtp(make_runtime, database, f"smtp://127.0.0.1:{free_port()}")
    queue_reset_mail(runtime)  # nobody listens on that port: connection refused
    for wait in (0, 1, 5, 25):
        clock.advance(timedelta(minutes=wait))
        deliver(runtime)
    mail = the_mail(runtime)
    assert (mail.status, mail.attempts) == (Status.PERMANENTLY_FAILED, 4)
    assert "unreachable" in mail.last_error


def test_a_server_that_comes_back_gets_the_mail(make_runtime, database, clock):
    port = free_port()
    runtime = runtime_with_smtp(make_runtime, database, f"smtp://127.0.0.1:{port}")
    queue_reset_mail(runtime)
    deliver(runtime)
    assert the_mail(runtime).status is Status.FAILED
    from aiosmtpd.controller import Controller

    from tests.smtp_server import Answers

    answers = Answers()
    controller = Controller(answers, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        clock.advance(timedelta(minutes=1))
        deliver(runtime)
    finally:
        controller.stop()
    assert the_mail(runtime).status is Status.SENT and len(answers.received) == 1


def test_a_daemon_killed_mid_send_leaves_nothing_lost(make_runtime, database, smtp_server,
                                                      clock):
    url, answers = smtp_server
    runtime = runtime_with_smtp(make_runtime, database, url)
    queue_reset_mail(runtime)
    deliver_messages_only(runtime)
    with runtime.uow() as uow:  # a daemon claims the mail, then dies before sending
        from tix.core.notifications.model import SEND_LEASE

        assert len(uow.notifications.claim_due(clock.now(), 10, SEND_LEASE)) == 1
        uow.commit()
    restarted = runtime_with_smtp(make_runtime, database, url)
    deliver(restarted)
    assert the_mail(restarted).status is Status.PENDING  # leased to the dead daemon
    clock.advance(timedelta(minutes=5))
    deliver(restarted)
    assert the_mail(restarted).status is Status.SENT and len(answers.received) == 1


def deliver_messages_only(runtime) -> None:
    from tix.daemon import Daemon

    Daemon(runtime).deliver_batch()


def test_attachments_reach_the_smtp_server(make_runtime, database, smtp_server):
    url, answers = smtp_server
    runtime = runtime_with_smtp(make_runtime, database, url)
    runtime.notifications.add_attachment_source(
        "greeting", lambda ref: [Attachment(f"{ref}.txt", "text/plain", b"hello " + ref.encode())])
    with runtime.uow() as uow:
        runtime.notifications.queue(uow, to="ann@example.com", template="password_changed",
                                    context={"name": "Ann"},
                                    attachments=[AttachmentRef("greeting", "ann")])
        uow.commit()
    deliver(runtime)
    [received] = answers.received
    [attached] = [p for p in received.walk() if p.get_filename()]
    assert attached.get_filename() == "ann.txt"
    assert attached.get_payload(decode=True) == b"hello ann"
