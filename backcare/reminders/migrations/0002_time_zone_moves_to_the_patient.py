"""The time zone chosen on the reminders page becomes the patient's own (``Patient.time_zone``),
the one clock every date of theirs follows; the schedule keeps no zone of its own.

A zone equal to the clinic's is left blank on the patient (blank follows the clinic), so a
patient who kept the suggested zone follows the clinic when it sets its real one; a zone the
machine does not know is dropped the same way (it was never usable).
"""

from zoneinfo import available_timezones

from django.db import migrations, models


def zones_to_patients(apps, schema_editor):
    known = available_timezones()
    patients = apps.get_model("patients", "Patient").objects
    schedules = apps.get_model("reminders", "ReminderSchedule").objects
    for schedule in schedules.select_related("patient__clinic").order_by("pk").iterator():
        zone, patient = schedule.time_zone, schedule.patient
        if zone in known and zone != patient.clinic.time_zone:
            patients.filter(pk=patient.pk).update(time_zone=zone)


def zones_back_to_schedules(apps, schema_editor):
    schedules = apps.get_model("reminders", "ReminderSchedule").objects
    for schedule in schedules.select_related("patient__clinic").order_by("pk").iterator():
        patient = schedule.patient
        schedule.time_zone = patient.time_zone or patient.clinic.time_zone
        schedule.save(update_fields=["time_zone"])


class Migration(migrations.Migration):

    dependencies = [
        ("reminders", "0001_initial"),
        ("patients", "0003_patient_time_zone"),
        ("accounts", "0006_clinic_time_zone"),
    ]

    operations = [
        migrations.RunPython(zones_to_patients, zones_back_to_schedules),
        # a default only so that, reversed, the column comes back on existing rows before
        # zones_back_to_schedules fills it
        migrations.AlterField(
            model_name="reminderschedule",
            name="time_zone",
            field=models.CharField(default="", help_text="IANA name, e.g. Europe/London.", max_length=64),
        ),
        migrations.RemoveField(
            model_name="reminderschedule",
            name="time_zone",
        ),
    ]
