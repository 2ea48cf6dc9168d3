"""Career-site XML feed parsing: the seed 001 shape, missing elements, malformed and hostile XML."""

from __future__ import annotations

import pytest

from dashboard.personio import MalformedResponseError, parse_career_feed

SEED_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<workzag-jobs>
  <position>
    <id>4103</id>
    <subcompany></subcompany>
    <office>Munich</office>
    <additionalOffices><office>Berlin</office><office>Remote</office></additionalOffices>
    <department>Management</department>
    <recruitingCategory>Various</recruitingCategory>
    <name>Office- und Feelgood Manager (m/w)</name>
    <jobDescriptions>
      <jobDescription>
        <name>Beschreibung</name>
        <value><![CDATA[<p>Deine Aufgaben:</p><ul><li>Office</li></ul>]]></value>
      </jobDescription>
    </jobDescriptions>
    <employmentType>permanent</employmentType>
    <seniority>entry-level</seniority>
    <schedule>full-time</schedule>
    <yearsOfExperience>lt-1</yearsOfExperience>
    <keywords>office manager,project management</keywords>
    <occupation>office_management</occupation>
    <occupationCategory>administrative_and_clerical</occupationCategory>
    <createdAt>2016-05-31T12:14:07+0200</createdAt>
  </position>
  <position>
    <id>4104</id>
    <name>Backend Engineer</name>
  </position>
</workzag-jobs>
"""


def test_seed_shape_is_parsed():
    first, second = parse_career_feed(SEED_FEED)
    assert first == {
        "id": "4103", "name": "Office- und Feelgood Manager (m/w)", "office": "Munich",
        "department": "Management", "recruiting_category": "Various", "employment_type": "permanent",
        "seniority": "entry-level", "schedule": "full-time", "created_at": "2016-05-31T12:14:07+0200",
        "subcompany": None, "additional_offices": ["Berlin", "Remote"],
    }
    assert second["id"] == "4104" and second["name"] == "Backend Engineer"
    assert second["office"] is None and second["created_at"] is None and second["additional_offices"] == []


def test_bytes_input_and_empty_feed():
    assert parse_career_feed(b"<workzag-jobs/>") == []
    assert parse_career_feed(SEED_FEED.encode())[0]["office"] == "Munich"


def test_namespaced_elements_are_read():
    xml = '<w:workzag-jobs xmlns:w="urn:x"><w:position><w:id>1</w:id><w:office>Wien</w:office></w:position></w:workzag-jobs>'
    assert [(p["id"], p["office"]) for p in parse_career_feed(xml)] == [("1", "Wien")]


@pytest.mark.parametrize("xml", ["", "   ", "<workzag-jobs><position>", "not xml at all", "<a></b>"])
def test_malformed_xml_raises(xml):
    with pytest.raises(MalformedResponseError):
        parse_career_feed(xml)


def test_entity_expansion_is_refused():
    bomb = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            "<workzag-jobs><position><name>&b;</name></position></workzag-jobs>")
    with pytest.raises(MalformedResponseError, match="forbidden"):
        parse_career_feed(bomb)


def test_external_entities_are_refused():
    xxe = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
           "<workzag-jobs><position><name>&e;</name></position></workzag-jobs>")
    with pytest.raises(MalformedResponseError):
        parse_career_feed(xxe)
