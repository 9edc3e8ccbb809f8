from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from participation.http import client_ip

from . import services
from .forms import SignalForm


@never_cache
def signal_form(request):
    errors = {}
    form = SignalForm(request.POST or None)
    if request.method == "POST":
        if not request.session.session_key:
            request.session.save()
        ip, session_key = client_ip(request), request.session.session_key
        if form.is_valid() and form.cleaned_data.get("website"):
            # A bot filled in the hidden field: say thanks, store nothing.
            return redirect("outcomes:signal_thanks")
        if not form.is_valid():
            errors = {field: error_list[0] for field, error_list in form.errors.items()}
        elif not services.take_rate_slot(ip, session_key):
            errors["__all__"] = services.rate_limit_message()
        else:
            data = services.SignalData(**{k: form.cleaned_data[k] for k in ("text", "place", "name", "email", "phone")})
            try:
                signal = services.submit_signal(data)
            except services.SignalError as error:
                services.give_back_rate_slot(ip, session_key)
                errors = error.errors
            else:
                request.session["outcomes_last_signal"] = signal.token
                return redirect("outcomes:signal_thanks")
    status = (429 if "__all__" in errors else 400) if errors else 200
    return render(request, "outcomes/signal_form.html", {"form": form, "errors": errors, "form_error": errors.get("__all__")}, status=status)


@never_cache
def signal_thanks(request):
    token = request.session.get("outcomes_last_signal")
    signal = services.signal_for_token(token) if token else None
    return render(request, "outcomes/signal_thanks.html", {"signal": signal})


@never_cache
def signal_status(request, token):
    signal = services.signal_for_token(token)
    if signal is None:
        raise Http404
    now = timezone.now()
    return render(request, "outcomes/signal_status.html", {
        "signal": signal,
        "timeline": services.public_timeline(signal),
        "since_arrival": services.since(signal.created_at, now),
        "since_reply": services.since(signal.last_reply_at, now),
        "form_url": reverse("outcomes:signal_form"),
    })
