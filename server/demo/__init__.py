"""The demo town (town.py), its past month and today's work (history.py, answers.py), and
synthetic house photos with camera EXIF (photos.py). Pure data and pure functions: the
seeder (`akiya seed-demo`) writes them to the database."""
