from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.utils.translation import gettext_lazy as _

from amn.core.digits import ascii_digits


class StaffLoginForm(AuthenticationForm):
    """Staff sign-in; refuses citizen accounts with the generic invalid-login message."""

    # AuthenticationForm only sets the widget's maxlength: enforced here, so that an
    # over-long username is a form error instead of a failed sign-in that django-axes
    # cannot record (its username column holds 255 characters: a 500 on PostgreSQL).
    username = UsernameField(
        max_length=150,  # User.username
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_staff_member:
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class CitizenLoginForm(AuthenticationForm):
    """Citizen sign-in: e-mail or phone in one field, with a message that says so."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The e-mail or phone number and the password do not match an account."),
    }

    def confirm_login_allowed(self, user):
        """Staff accounts sign in on the staff form only (generic message, no hint)."""
        super().confirm_login_allowed(user)
        if user.is_staff_member:
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")

    username = forms.CharField(
        label=_("E-mail or phone"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "dir": "ltr"}),
    )


class CitizenRegisterForm(forms.Form):
    """Shape of a citizen sign-up; the rules live in accounts.services.citizen_register."""

    first_name = forms.CharField(label=_("Given name"), max_length=150)
    last_name = forms.CharField(label=_("Family name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=150,
        widget=forms.EmailInput(attrs={"dir": "ltr"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        data.pop("password_again", None)
        return data


class OtpForm(forms.Form):
    """The 6-digit code of the staff member's authenticator app (Arabic-Indic digits
    accepted)."""

    code = forms.CharField(
        label=_("Authenticator code"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "dir": "ltr"}
        ),
    )

    def clean_code(self) -> str:
        return ascii_digits(self.cleaned_data["code"].strip())
