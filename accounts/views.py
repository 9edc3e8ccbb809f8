"""The "my data" pages: thin views over accounts.services. Every page here is personal: never cached."""

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from participation import limits

from . import services
from .forms import EraseForm, MyDataRequestForm
from .models import ErasureRecord


def _request_page(request, form, status=200):
    return render(request, "accounts/my_data_request.html", {"form": form.annotate()}, status=status)


@never_cache
def my_data(request):
    """Logged in: the account's data. Otherwise: the form to ask for a link."""
    if not request.user.is_authenticated:
        return _request_page(request, MyDataRequestForm())
    identity = services.identity_for_user(request.user)
    return _overview(request, identity, download_url=reverse("accounts:download"),
                     erase_url=reverse("accounts:erase"), account=True)


@never_cache
@require_http_methods(["GET", "POST"])
@limits.limit("mydata")
def request_link(request):
    """Ask for a link by email or SMS. The answer is the same whether or not we hold anything."""
    form = MyDataRequestForm(request.POST or None)
    if request.method != "POST":
        return _request_page(request, form)
    if not form.is_valid():
        return _request_page(request, form, status=400)
    services.request_link(form.cleaned_data["contact"], language=request.LANGUAGE_CODE)
    return render(request, "accounts/my_data_sent.html")


def _overview(request, identity, *, download_url, erase_url, account=False):
    records = services.collect(identity)
    return render(request, "accounts/my_data.html", {
        "identity": identity, "groups": services.grouped(records), "download_url": download_url,
        "erase_url": erase_url, "account": account,
    })


def _link_identity(request, token):
    try:
        return services.open_link(token), None
    except services.LinkError as error:
        form = MyDataRequestForm()
        response = render(request, "accounts/my_data_request.html",
                          {"form": form.annotate(), "link_error": error.message}, status=404)
        return None, response


@never_cache
def link_data(request, token):
    identity, refused = _link_identity(request, token)
    if refused:
        return refused
    return _overview(request, identity, download_url=reverse("accounts:link_download", args=[token]),
                     erase_url=reverse("accounts:link_erase", args=[token]))


def _zip_response(identity):
    now = timezone.now()
    response = HttpResponse(services.build_zip(services.collect(identity), now), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="my-data-{now:%Y-%m-%d}.zip"'
    return response


@never_cache
def link_download(request, token):
    identity, refused = _link_identity(request, token)
    return refused or _zip_response(identity)


@never_cache
@login_required
def download(request):
    return _zip_response(services.identity_for_user(request.user))


def _erase(request, identity, via, back_url):
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record = services.erase(identity, via=via)
        if via == ErasureRecord.Via.ACCOUNT and record.counts.get("accounts deleted"):
            logout(request)
        return render(request, "accounts/my_data_erased.html", {"record": record})
    return render(request, "accounts/my_data_erase.html", {"form": form, "back_url": back_url})


@never_cache
@require_http_methods(["GET", "POST"])
def link_erase(request, token):
    identity, refused = _link_identity(request, token)
    return refused or _erase(request, identity, ErasureRecord.Via.LINK,
                             reverse("accounts:link_data", args=[token]))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def erase(request):
    return _erase(request, services.identity_for_user(request.user), ErasureRecord.Via.ACCOUNT,
                  reverse("accounts:my_data"))

