import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.CreateModel(
            name="ActorGroup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("slug", models.SlugField(max_length=64, unique=True, verbose_name="slug")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                (
                    "group",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="actor_group",
                        to="auth.group",
                        verbose_name="group",
                    ),
                ),
            ],
            options={"verbose_name": "actor group", "verbose_name_plural": "actor groups", "ordering": ["position"]},
        ),
    ]
