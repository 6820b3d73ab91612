-- Demo accounts carry a published password. They are marked, so that a
-- start without demo mode can deactivate them (and demo mode can bring them
-- back) instead of leaving working demo credentials on a real installation.
ALTER TABLE users ADD COLUMN demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1));

-- Existing demo accounts: the seeded user names with the seeded display
-- names (a real account that merely shares a name keeps working). The
-- bootstrap `admin` cannot be told apart here; the server checks its
-- password against the demo password at the next start without demo mode.
UPDATE users SET demo = 1
WHERE (username, display_name) IN (
    VALUES
        ('admin.mic', 'IT-Administration Michelstadt'),
        ('projekt.mic', 'Projektteam Michelstadt'),
        ('sachbearbeitung.mic', 'Sachbearbeitung Michelstadt'),
        ('schulung.mic', 'Schulung Michelstadt'),
        ('admin.erb', 'IT-Administration Erbach'),
        ('projekt.erb', 'Projektteam Erbach'),
        ('sachbearbeitung.erb', 'Sachbearbeitung Erbach'),
        ('schulung.erb', 'Schulung Erbach'),
        ('admin.obz', 'IT-Administration Oberzent'),
        ('projekt.obz', 'Projektteam Oberzent'),
        ('sachbearbeitung.obz', 'Sachbearbeitung Oberzent'),
        ('schulung.obz', 'Schulung Oberzent'),
        ('admin.bro', 'IT-Administration Brombachtal'),
        ('projekt.bro', 'Projektteam Brombachtal'),
        ('sachbearbeitung.bro', 'Sachbearbeitung Brombachtal'),
        ('schulung.bro', 'Schulung Brombachtal')
);
