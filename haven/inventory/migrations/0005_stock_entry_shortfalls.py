"""A small partial index of shortfalls, so counting the open ones does not read a site's ledger."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inventory', '0004_stock_balance'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='stockentry',
            index=models.Index(condition=models.Q(('shortfall', True)), fields=['site', 'created_at'],
                               name='stock_entry_shortfalls'),
        ),
    ]
