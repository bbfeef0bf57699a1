from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('alerts', '0003_alter_alert_options'),
    ]

    operations = [
        migrations.AddField(
            model_name='alert',
            name='patient_note',
            field=models.TextField(blank=True, help_text='What the patient wrote with their report, in their own words.'),
        ),
        migrations.AlterField(
            model_name='alert',
            name='kind',
            field=models.CharField(choices=[('red_flag', 'Red flag'), ('pain_spike', 'Pain spike'), ('next_morning_worsening', 'Worse the next morning'), ('no_recent_log', 'No recent log'), ('persisting_pain_spike', 'Pain spike persisting'), ('not_improving', 'Not improving'), ('flare_up', 'Flare-up'), ('pain_rise_during_exercise', 'Pain rising during exercise'), ('pain_worsening', 'Pain worsening'), ('new_symptom', 'New symptom')], max_length=30),
        ),
    ]
