// Card payment with Stripe.js: the card goes to Stripe, never to tix. Stripe.js turns it
// into a token; tix puts it on the order's payment and confirms; when the bank asks for
// 3-D Secure, Stripe.js shows its dialog (confirmCardPayment); tix then reads the outcome.
// A declined card is said plainly and another can be tried.
(function () {
  "use strict";
  var form = document.getElementById("pay-form");
  if (!form || typeof Stripe === "undefined") { return; }
  var stripe = Stripe(form.dataset.publishableKey);
  // A card given before (from the CLI) that the bank wants confirmed: only its dialog.
  var confirmOnly = form.querySelector("[data-needs-action]") !== null;
  var card = null;
  if (!confirmOnly) {
    card = stripe.elements().create("card");
    card.mount("#card-element");
  }
  var button = document.getElementById("pay-button");
  var message = document.getElementById("pay-message");
  button.disabled = false;

  function say(text) { message.textContent = text; message.hidden = !text; }
  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json",
                "X-XSRF-TOKEN": form.dataset.csrf},
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (b) {
        b.httpStatus = r.status; return b;
      });
    });
  }
  function outcome(answer) {
    if (answer.status === "succeeded") { window.location = form.dataset.done; return null; }
    if (answer.status === "requires_action") {
      return stripe.confirmCardPayment(answer.client_secret).then(function (result) {
        if (result.error) {
          return post(form.dataset.confirm, {}).then(function (after) {
            throw new Error(after.message || result.error.message ||
                            "Your bank did not confirm the payment. Try again or use another card.");
          });
        }
        return post(form.dataset.confirm, {}).then(outcome);
      });
    }
    if (answer.status === "processing") {
      return new Promise(function (resolve) { setTimeout(resolve, 1000); })
        .then(function () { return post(form.dataset.confirm, {}); }).then(outcome);
    }
    throw new Error(answer.message || answer.detail || "The payment did not go through.");
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    say(""); button.disabled = true;
    if (confirmOnly) {
      post(form.dataset.confirm, {}).then(outcome).catch(function (error) {
        say(error.message); button.disabled = false;
      });
      return;
    }
    stripe.createToken(card).then(function (result) {
      if (result.error) { throw new Error(result.error.message || "Check the card's details."); }
      return post(form.dataset.start, {token: result.token.id, card: result.token.card.id});
    }).then(outcome).catch(function (error) {
      say(error.message); button.disabled = false;
    });
  });
})();
