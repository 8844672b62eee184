"""Forms of the accounts app: the administrator's new-round form."""

from __future__ import annotations

from typing import Any

from django import forms

from tenken.errors import TenkenError
from tenken.survey.loader import DEFAULT_QUESTIONNAIRE, bundled_ids
from tenken.survey.pack import load_bundled_pack, pack_text
from tenken.survey.seido import check_round_seidos
from tenken.web.accounts.roster import RosterRow, parse_roster
from tenken.web.accounts.services import parse_questionnaire

MAX_FILE_BYTES = 2 * 1024 * 1024


class RoundForm(forms.Form):
    """A survey round: title, questionnaire (bundled or uploaded), roster CSV and deadline."""

    title = forms.CharField(label="調査名", max_length=200)
    bundled = forms.ChoiceField(label="同梱の調査票", required=False)
    questionnaire_file = forms.FileField(
        label="調査パック（tenken survey pack で1つにまとめた YAML か調査票 YAML、"
        "同梱のものを使う場合は不要）",
        required=False,
    )
    roster_file = forms.FileField(label="名簿（CSV: 組織名・組織区分・メールアドレス）")
    deadline = forms.DateTimeField(
        label="回答期限", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    seidos = forms.CharField(
        label="この調査で聞く制度（調査票の制度等の選択肢を1行に1つ。2つ以上なら各団体は制度ごと"
        "に回答。空欄: 制度の区別なし）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bundled"].choices = [(i, i) for i in bundled_ids()]
        self.fields["bundled"].initial = DEFAULT_QUESTIONNAIRE
        self.questionnaire_text = ""
        self.roster: list[RosterRow] = []
        self.seido_list: list[str] = []

    def clean_questionnaire_file(self) -> Any:
        upload = self.cleaned_data.get("questionnaire_file")
        if upload is None:
            return None
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError("調査票ファイルが大きすぎます（2MB まで）")
        try:
            self.questionnaire_text = upload.read().decode("utf-8-sig")
            parse_questionnaire(self.questionnaire_text, upload.name)
        except UnicodeDecodeError as error:
            raise forms.ValidationError("調査票ファイルは UTF-8 の YAML にしてください") from error
        except TenkenError as error:
            raise forms.ValidationError(str(error)) from error
        return upload

    def clean_roster_file(self) -> Any:
        upload = self.cleaned_data["roster_file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError("名簿が大きすぎます（2MB まで）")
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.questionnaire_text and data.get("bundled"):
            self.questionnaire_text = pack_text(load_bundled_pack(data["bundled"]))
        if not self.questionnaire_text and not self.errors:
            raise forms.ValidationError("調査票を選ぶか、ファイルを指定してください")
        upload = data.get("roster_file")
        if upload is not None and self.questionnaire_text:
            try:
                q = parse_questionnaire(self.questionnaire_text, "調査票")
                self.roster = parse_roster(upload.read(), q, upload.name)
            except TenkenError as error:
                self.add_error("roster_file", str(error))
        if self.questionnaire_text and not self.errors:
            self._clean_seidos(str(data.get("seidos") or ""))
        return data

    def _clean_seidos(self, text: str) -> None:
        """The 制度 of the round: each one of the questionnaire's 制度等 list (one rule with
        the CLI's ``--seido``: :func:`tenken.survey.seido.check_round_seidos`)."""
        given = [line.strip() for line in text.splitlines() if line.strip()]
        if not given:
            return
        try:
            q = parse_questionnaire(self.questionnaire_text, "調査票")
            self.seido_list = check_round_seidos(q, given)
        except TenkenError as error:
            self.add_error("seidos", str(error))
