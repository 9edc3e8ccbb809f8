"""One emailed code is enough for the first login of an account made by a coordinator (or the demo).

Such accounts have only `User.email`, not allauth's EmailAddress row. allauth's login by code then cannot
mark the address as verified when the code is entered, so it asked for a second code ("verify your email")
straight after the first. When a login code has just been accepted for the account's own address, the
row is made here; allauth then marks it verified (the code proved the address) and logs the person in.
"""


def add_address_for_code_login(sender, request=None, method="", user=None, email=None, **kwargs):
    if method != "code" or user is None or not email or not user.email:
        return
    if email.strip().lower() != user.email.strip().lower():
        return
    from allauth.account.models import EmailAddress

    if EmailAddress.objects.filter(user=user, email__iexact=email).exists():
        return
    if EmailAddress.objects.filter(email__iexact=email, verified=True).exists():
        return  # someone else verified this address: allauth's own rules decide
    EmailAddress.objects.create(
        user=user, email=email.strip().lower(), verified=False,
        primary=not EmailAddress.objects.filter(user=user, primary=True).exists(),
    )
