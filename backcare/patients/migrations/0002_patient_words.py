from django.db import migrations, models

CHECKIN_NOTE = "Ticked in the weekly check-in for the week of "
"""The English sentence earlier versions stored as the note of a screen made by a check-in."""


def sources_from_old_notes(apps, schema_editor):
    """Screens made by patients get their source; the check-in's English sentence (not the
    patient's words, and English in every language) gives way to the source it described."""
    screens = apps.get_model("patients", "RedFlagScreen").objects
    screens.filter(note__startswith=CHECKIN_NOTE).update(source="weekly_checkin", note="")
    screens.filter(source="clinician", screened_by__role="patient").update(source="symptom_report")


class Migration(migrations.Migration):

    dependencies = [
        ('patients', '0001_initial'),
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='redflagscreen',
            name='source',
            field=models.CharField(choices=[('clinician', 'Screened by a clinician'), ('symptom_report', 'Reported by the patient (“I have a new symptom”)'), ('weekly_checkin', 'Ticked by the patient in the weekly check-in')], default='clinician', max_length=20),
        ),
        migrations.AlterField(
            model_name='redflagscreen',
            name='note',
            field=models.TextField(blank=True, help_text="The clinician's note, or the patient's words."),
        ),
        migrations.RunPython(sources_from_old_notes, migrations.RunPython.noop),
    ]
