"""PartiQL with boto3: ExecuteStatement (SELECT as Query or Scan, INSERT, UPDATE, DELETE,
parameters, RETURNING, paging), BatchExecuteStatement's per-statement answers and
ExecuteTransaction's all-or-nothing writes and reads. Runs against any endpoint."""
import pytest
from botocore.exceptions import ClientError

from conftest import error_of


@pytest.fixture
def music(ddb, make_table):
    name = make_table(hash_key=("Artist", "S"), range_key=("SongTitle", "S"), extra_attributes=[("Genre", "S")],
                      GlobalSecondaryIndexes=[{"IndexName": "by-genre",
                                               "KeySchema": [{"AttributeName": "Genre", "KeyType": "HASH"},
                                                             {"AttributeName": "SongTitle", "KeyType": "RANGE"}],
                                               "Projection": {"ProjectionType": "ALL"}}])
    for artist, title, year, genre in [("Acme", "Alpha", 2001, "rock"), ("Acme", "Beta", 2005, "pop"),
                                       ("Acme", "Gamma", 2010, "rock"), ("Zed", "Omega", 1999, "rock")]:
        ddb.put_item(TableName=name, Item={"Artist": {"S": artist}, "SongTitle": {"S": title},
                                           "Year": {"N": str(year)}, "Genre": {"S": genre}})
    return name


def run(ddb, statement, *params, **kwargs):
    if params:
        kwargs["Parameters"] = list(params)
    return ddb.execute_statement(Statement=statement, **kwargs)


def titles(items):
    return [i["SongTitle"]["S"] for i in items]


def test_select_fixing_the_partition_key_reads_one_partition_in_sort_order(ddb, music):
    out = run(ddb, f'SELECT * FROM "{music}" WHERE Artist = ?', {"S": "Acme"})
    assert titles(out["Items"]) == ["Alpha", "Beta", "Gamma"]
    out = run(ddb, f'SELECT SongTitle, "Year" FROM "{music}" WHERE Artist = \'Acme\' AND SongTitle > \'Alpha\' '
                   f'AND "Year" >= 2005 ORDER BY SongTitle DESC')
    assert out["Items"] == [{"SongTitle": {"S": "Gamma"}, "Year": {"N": "2010"}},
                            {"SongTitle": {"S": "Beta"}, "Year": {"N": "2005"}}]
    out = run(ddb, f'SELECT SongTitle FROM "{music}" WHERE Artist = \'Acme\' AND begins_with(SongTitle, \'G\')')
    assert out["Items"] == [{"SongTitle": {"S": "Gamma"}}]


def test_select_without_the_key_scans_and_filters(ddb, music):
    out = run(ddb, f'SELECT * FROM "{music}" WHERE "Year" BETWEEN 2000 AND 2006 OR SongTitle IN [\'Omega\']')
    assert sorted(titles(out["Items"])) == ["Alpha", "Beta", "Omega"]
    out = run(ddb, f'SELECT * FROM "{music}" WHERE Missing IS MISSING AND Genre IS NOT MISSING AND NOT Genre = \'pop\'')
    assert sorted(titles(out["Items"])) == ["Alpha", "Gamma", "Omega"]


def test_select_from_an_index(ddb, music):
    out = run(ddb, f'SELECT SongTitle FROM "{music}"."by-genre" WHERE Genre = \'rock\'')
    assert titles(out["Items"]) == ["Alpha", "Gamma", "Omega"]


def test_limit_and_next_token_page_through_every_item(ddb, music):
    seen, token = [], None
    for _ in range(10):
        kwargs = {"Limit": 1}
        if token:
            kwargs["NextToken"] = token
        out = run(ddb, f'SELECT * FROM "{music}"', **kwargs)
        seen += titles(out["Items"])
        token = out.get("NextToken")
        if not token:
            break
    assert sorted(seen) == ["Alpha", "Beta", "Gamma", "Omega"]


def test_insert_update_delete_and_returning(ddb, music):
    run(ddb, f"INSERT INTO \"{music}\" VALUE {{'Artist': ?, 'SongTitle': 'New', 'Tags': <<'a', 'b'>>, "
             f"'Info': {{'plays': 1, 'list': [1, 'x', true, null]}}}}", {"S": "Acme"})
    item = ddb.get_item(TableName=music, Key={"Artist": {"S": "Acme"}, "SongTitle": {"S": "New"}})["Item"]
    assert item["Tags"] == {"SS": ["a", "b"]}
    assert item["Info"] == {"M": {"plays": {"N": "1"}, "list": {"L": [{"N": "1"}, {"S": "x"}, {"BOOL": True},
                                                                       {"NULL": True}]}}}
    out = run(ddb, f"UPDATE \"{music}\" SET Info.plays = Info.plays + 2 SET Tags = set_add(Tags, <<'c'>>) "
                   f"REMOVE Genre WHERE Artist = 'Acme' AND SongTitle = 'New' RETURNING ALL NEW *")
    assert out["Items"][0]["Info"]["M"]["plays"] == {"N": "3"}
    assert out["Items"][0]["Tags"] == {"SS": ["a", "b", "c"]}
    out = run(ddb, f"DELETE FROM \"{music}\" WHERE Artist = 'Acme' AND SongTitle = 'New' RETURNING ALL OLD *")
    assert out["Items"][0]["SongTitle"] == {"S": "New"}
    assert "Item" not in ddb.get_item(TableName=music, Key={"Artist": {"S": "Acme"}, "SongTitle": {"S": "New"}})
    # Deleting an item that is not there changes nothing and is no error.
    out = run(ddb, f"DELETE FROM \"{music}\" WHERE Artist = 'Acme' AND SongTitle = 'New'")
    assert out.get("Items", []) == []


def test_insert_of_an_existing_key_is_a_duplicate(ddb, music):
    with pytest.raises(ClientError) as e:
        run(ddb, f"INSERT INTO \"{music}\" VALUE {{'Artist': 'Acme', 'SongTitle': 'Alpha'}}")
    assert error_of(e)[:2] == ("DuplicateItemException", "Duplicate primary key exists in table")
    assert ddb.get_item(TableName=music, Key={"Artist": {"S": "Acme"}, "SongTitle": {"S": "Alpha"}})["Item"]["Year"] \
        == {"N": "2001"}


def test_update_needs_the_item_and_its_full_key(ddb, music):
    with pytest.raises(ClientError) as e:
        run(ddb, f"UPDATE \"{music}\" SET x = 1 WHERE Artist = 'Nobody' AND SongTitle = 'None'")
    assert error_of(e)[:2] == ("ConditionalCheckFailedException", "The conditional request failed")
    assert "Item" not in ddb.get_item(TableName=music, Key={"Artist": {"S": "Nobody"}, "SongTitle": {"S": "None"}})
    with pytest.raises(ClientError) as e:
        run(ddb, f"UPDATE \"{music}\" SET x = 1 WHERE Artist = 'Acme'")
    assert error_of(e)[:2] == ("ValidationException",
                               "Where clause does not contain a mandatory equality on all key attributes")
    with pytest.raises(ClientError) as e:  # an extra condition that does not hold
        run(ddb, f"UPDATE \"{music}\" SET x = 1 WHERE Artist = 'Acme' AND SongTitle = 'Alpha' AND \"Year\" > 3000")
    assert error_of(e)[0] == "ConditionalCheckFailedException"


@pytest.mark.parametrize("statement", ["SELEC * FROM t", "SELECT * FROM", "SELECT * FROM t WHERE a = 'unterminated",
                                       "INSERT INTO t VALUE [1]", "UPDATE t WHERE a = 1"])
def test_malformed_statements(ddb, statement):
    with pytest.raises(ClientError) as e:
        run(ddb, statement)
    code, message, status = error_of(e)
    assert code == "ValidationException" and status == 400
    assert message.startswith("Statement wasn't well formed, can't be processed: ") or "INSERT" in statement


def test_parameter_count_and_missing_table(ddb, music):
    with pytest.raises(ClientError) as e:
        run(ddb, f'SELECT * FROM "{music}" WHERE Artist = ?')
    assert error_of(e)[:2] == ("ValidationException", "Number of parameters in request and statement don't match.")
    with pytest.raises(ClientError) as e:
        run(ddb, 'SELECT * FROM "no-such-table-anywhere"')
    assert error_of(e)[0] == "ResourceNotFoundException"


def test_batch_execute_statement_answers_each_statement(ddb, music):
    out = ddb.batch_execute_statement(Statements=[
        {"Statement": f"SELECT * FROM \"{music}\" WHERE Artist = ? AND SongTitle = ?",
         "Parameters": [{"S": "Acme"}, {"S": "Beta"}]},
        {"Statement": f"INSERT INTO \"{music}\" VALUE {{'Artist': 'Acme', 'SongTitle': 'Alpha'}}"},
        {"Statement": f"INSERT INTO \"{music}\" VALUE {{'Artist': 'New', 'SongTitle': 'One'}}"},
        {"Statement": f"UPDATE \"{music}\" SET x = 1 WHERE Artist = 'Nobody' AND SongTitle = 'None'"},
    ])["Responses"]
    assert out[0]["TableName"] == music and out[0]["Item"]["SongTitle"] == {"S": "Beta"}
    assert out[1]["Error"]["Code"] == "DuplicateItem"
    assert "Error" not in out[2]
    assert out[3]["Error"]["Code"] == "ConditionalCheckFailed"
    assert ddb.get_item(TableName=music, Key={"Artist": {"S": "New"}, "SongTitle": {"S": "One"}})["Item"]


def test_execute_transaction_is_all_or_nothing(ddb, music):
    ok = [{"Statement": f"INSERT INTO \"{music}\" VALUE {{'Artist': 'T', 'SongTitle': '1'}}"},
          {"Statement": f"UPDATE \"{music}\" SET n = 1 WHERE Artist = 'Acme' AND SongTitle = 'Alpha'"},
          {"Statement": f"EXISTS(SELECT * FROM \"{music}\" WHERE Artist = 'Zed' AND SongTitle = 'Omega')"}]
    ddb.execute_transaction(TransactStatements=ok)
    with pytest.raises(ClientError) as e:
        ddb.execute_transaction(TransactStatements=[
            {"Statement": f"UPDATE \"{music}\" SET n = 2 WHERE Artist = 'Acme' AND SongTitle = 'Alpha'"},
            {"Statement": f"INSERT INTO \"{music}\" VALUE {{'Artist': 'T', 'SongTitle': '1'}}"}])
    assert error_of(e)[0] == "TransactionCanceledException"
    reasons = e.value.response["CancellationReasons"]
    assert [r["Code"] for r in reasons] == ["None", "DuplicateItem"]
    out = ddb.execute_transaction(TransactStatements=[
        {"Statement": f"SELECT n FROM \"{music}\" WHERE Artist = 'Acme' AND SongTitle = 'Alpha'"},
        {"Statement": f"SELECT * FROM \"{music}\" WHERE Artist = ? AND SongTitle = ?",
         "Parameters": [{"S": "T"}, {"S": "1"}]}])["Responses"]
    assert out[0]["Item"] == {"n": {"N": "1"}}  # the cancelled transaction left it at 1
    assert out[1]["Item"] == {"Artist": {"S": "T"}, "SongTitle": {"S": "1"}}


@pytest.mark.parametrize("depth", [33, 41, 4000])
def test_deeply_nested_literals_get_the_nesting_error(ddb, music, depth):
    """Values nested past DynamoDB's 32 levels are refused with its nesting error, however deep
    (4,000 levels once answered a 500)."""
    with pytest.raises(ClientError) as e:
        run(ddb, f"INSERT INTO \"{music}\" VALUE {{'Artist': 'a', 'SongTitle': 'b', 'x': {'[' * depth}{']' * depth}}}")
    code, message, status = error_of(e)
    assert (code, status) == ("ValidationException", 400) and "Nesting Levels have exceeded supported limits" in message


def test_deeply_nested_conditions_are_refused_not_crashed(ddb, music):
    with pytest.raises(ClientError) as e:
        run(ddb, f'SELECT * FROM "{music}" WHERE ' + "(" * 4000 + "Artist = 'Acme'" + ")" * 4000)
    assert error_of(e)[0] == "ValidationException"
    out = run(ddb, f'SELECT * FROM "{music}" WHERE ' + "(" * 50 + "Artist = 'Acme'" + ")" * 50)
    assert len(out["Items"]) == 3
