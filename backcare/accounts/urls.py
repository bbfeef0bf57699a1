"""Sign-in, passwords, the account and the language (from the site's root), and the clinic's
staff and rules pages (under /clinic/).

The views that hash a password (or recovery codes) are ``non_atomic_requests``: a hash takes a
good part of a second, and on SQLite a request's transaction would hold the write lock meanwhile
(backcare/audit/trail.py)."""

from django.contrib.auth import views as auth_views
from django.db.transaction import non_atomic_requests
from django.urls import path

from backcare.accounts import (
    language,
    sessions,
    settings_views,
    staff_views,
    two_factor_views,
    views,
)
from backcare.accounts.forms import LanguageAwarePasswordResetForm
from backcare.accounts.login_forms import LoginForm, ResetPasswordForm

site_urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        non_atomic_requests(auth_views.LoginView.as_view(authentication_form=LoginForm)),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(form_class=LanguageAwarePasswordResetForm),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        non_atomic_requests(
            auth_views.PasswordResetConfirmView.as_view(form_class=ResetPasswordForm)
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("account/", two_factor_views.account, name="account"),
    path(
        "account/password/",
        non_atomic_requests(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "account/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("account/two-factor/setup/", two_factor_views.setup, name="two_factor_setup"),
    path("account/two-factor/verify/", two_factor_views.verify, name="two_factor_verify"),
    path("account/session/keep-alive/", sessions.keep_alive, name="session_keep_alive"),
    path("invite/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("i18n/setlang/", language.set_language, name="set_language"),  # also saves the choice
]
clinic_urlpatterns = [
    path("staff/", staff_views.staff_list, name="staff_list"),
    path("settings/rules/", settings_views.clinic_rules, name="clinic_rules"),
]
