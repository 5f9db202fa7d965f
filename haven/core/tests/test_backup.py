

def test_the_backup_command_explains_a_destination_in_use(tmp_path):
    data = tmp_path / "data"
    assert run_haven("createadmin", "--username", "alice", data_dir=data).returncode == 0
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("x")
    result = run_haven("backup", str(tmp_path / "used"), data_dir=data)
    assert result.returncode == 1
    assert result.stderr.startswith("haven: ") and "is not an empty folder" in result.stderr
    assert "Traceback" not in result.stderr

    no_terminal = run_haven("backup", "--encrypt", str(tmp_path / "new"), data_dir=data)
    assert no_terminal.returncode == 1
    assert "use --passphrase-file" in no_terminal.stderr
    assert not (tmp_path / "new").exists()

    made = run_haven("backup", str(tmp_path / "new"), data_dir=data)
    assert made.returncode == 0, made.stderr
    assert "audit head 1" in made.stdout and (tmp_path / "new" / backup.MANIFEST).is_file()
