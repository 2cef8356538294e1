from importlib.resources import files


def test_policy_file_ships_with_the_package():
    assert files("csdesk").joinpath("data/policy.toml").is_file()
