"""A deterministic synthetic corpus of parliamentary documents, for benchmarks at any size.

    python bench/synthetic.py --docs 1000 --out /tmp/corpus [--seed 20221107]

The corpus is a stream of *episodes*: a set of written questions (Kamervragen) with the documents it leads
to, or a Kamerstuk letter. A question episode renders as one to three documents in the shapes the parser
reads (dossier/ and tests/fixtures/dev-corpus/):

    kv-questions   question document, PDF text ('Vraag 1'; no case number)                  like dossier 003
    kv-bare        question document of tweedekamer.nl (case number, bare '1' labels)       like layouts/kv-bare
    ah-notice      Aanhangsel with the questions and a postponement notice (Mededeling)     like dev 015, 016
    word-notice    the ministry's Word file of a postponement notice                        like dev 020
    ah-answer      Aanhangsel van de Handelingen: questions and answers, PDF text           like dev 009-014
    ah-old         older Aanhangsel PDF text (pages start with a space, no number)          like dossier 000, 001
    word-answer    the ministry's Word file of the answers ('1.' + 'Antwoord:', or labels)  like dev 017-019
    openkamer      the openkamer.org page of a question set (questions, answers, notice)    like dossier 002
    letter         Kamerstuk letter (Kamerbrief), PDF text                                  like fixtures/letters

Text comes from a small grammar: sentence templates with alternatives ('[a|b]') and slots ('{place}') filled
from ten topic vocabularies (asylum, care, agriculture, ...), compound nouns made of a topic's stems, places,
organisations, numbers and dates, so sentences are mostly distinct. People are fictional (members of
parliament with real party names, ministers per cabinet period); ministries and bodies are real.
Questions vary in number (2-15) and numbering; answers group questions ('Antwoord 2 en 3', 'Antwoord vragen
1,2,3 en 4') and refer to each other ('zie het antwoord op vraag 2'); footnotes cite news articles and
documents. Documents cite earlier generated documents: answers and letters by their ah-tk/kst identifiers,
answers the postponement notice before them; about one answer document in twenty reuses a paragraph of an
earlier answer word for word.

Everything is a function of (seed, episode number), so the first k documents of a corpus of n >= k documents
are the corpus of k documents, byte for byte. Only *.txt files are written; `expected(n)` returns what the
parser should read in each document (kind, question and answer numbers, identifiers, citations, dates).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

SEED = 20221107

# ----------------------------------------------------------------------------------------------- vocabulary

MONTHS = "januari februari maart april mei juni juli augustus september oktober november december".split()

PARTIES = ["VVD", "D66", "CDA", "SP", "GroenLinks-PvdA", "PVV", "Nieuw Sociaal Contract", "BBB", "ChristenUnie",
           "SGP", "Volt", "JA21", "PvdD", "DENK", "FvD", "50PLUS"]
# Members of parliament: fictional names, each with a surname whose last word no one else has (the graph
# identifies people by that word).
MEMBER_SURNAMES = (
    "Aalbers|Abbing|Akkerman|Amsing|Arends|Bakkum|Bastiaans|Beekhuis|Berghout|Bijlsma|Blom|Boekhoud|Bolhuis|"
    "Boogaard|Borst|Bosma|Bouwhuis|Brandsma|Bremer|Brinkman|Buitenhuis|Claassen|Coenen|Dalhuisen|Damen|"
    "Derksen|Dijkhuizen|Doornbos|Draaisma|Drost|Eijsink|Elzinga|Engbers|Evers|Faber|Feenstra|Fokkema|Gerritsen|"
    "Geurts|Goverde|Groeneveld|Haasnoot|Hagens|Hamstra|Heerma|Hendriksen|Heuvelmans|Hiddema|Hofstede|Holtkamp|"
    "Hoogland|Huisman|Huizinga|Jagersma|Jongeling|Kampen|Kerkhof|Klaver|Klomp|Koenders|Kooistra|Kramer|Kuiper|"
    "Lamberts|Leenders|Lensink|Lodders|Looman|Luiten|Maas|Martens|Meinders|Minnema|Moerman|Mol|Nieboer|Nijhof|"
    "Noorman|Oldenhof|Olthof|Oosterveld|Otten|Paauw|Pastoor|Pijl|Plasman|Postma|Prins|Raaijmakers|Reinders|"
    "Renkema|Riemersma|Roelofs|Roosendaal|Ruiter|Schaap|Scholten|Schuurman|Siebes|Sikkema|Slot|Smeets|Snijders|"
    "Spaans|Stegeman|Stoffels|Swart|Teunissen|Thijssen|Tiemens|Tuinstra|Uitterhoeve|Valkema|Veenstra|Velthuis|"
    "Verbeek|Verhoef|Vink|Vlietstra|Voskuil|Vreeman|Wagenaar|Walstra|Weening|Wensink|Wiersma|Wijnands|Wolters|"
    "Zandstra|Zeilstra|Zijlstra|Zwart|Van der Molen|Van den Akker|De Haan|Van Dam|Ter Horst|Van Oort|De Roos|"
    "Van Wijk|Van der Velde|De Lange|Van Leeuwen|Van der Linde|Ten Broeke|De Wit|Van Rijn|Van der Kamp").split("|")
MINISTER_SURNAMES = (
    "Aartsma|Bergsma|Coolen|Dobbe|Eshuis|Frerichs|Gunnink|Hekkert|Idema|Jorritsma|Kalkman|Liefting|Mekking|"
    "Nauta|Overmars|Pelleboer|Quist|Rutjes|Stuivenberg|Tolsma|Uneken|Vogelzang|Westra|IJbema|Zoetelief|"
    "Ansink|Boersema|Cuppen|Dinkla|Elgersma|Folkerts|Grashuis|Harkema|Jellema|Kroeze|Lubbers|Mellema|Nijboer|"
    "Oosting|Pronk|Rozema|Sinnema|Terpstra|Vonk|Wieringa|Zuidema|Alberda|Brummelkamp|Dijkema|Everts|Gorter|"
    "Hommes|Jonkman|Keuning|Lenstra|Meerveld|Nieuwenhuis|Ottens|Pool|Reitsma|Schuiling").split("|")
FIRST_NAMES = ("Anna|Bas|Carla|Daan|Esther|Frank|Gerda|Hans|Ilse|Joost|Karin|Lars|Marieke|Niels|Olga|Pieter|"
               "Ruud|Sanne|Tom|Ursula|Vera|Wouter|Yvonne|Zeynep|Ahmed|Fleur|Jasper|Lotte|Mehmet|Noor").split("|")

PLACES = ("Amsterdam|Rotterdam|Den Haag|Utrecht|Eindhoven|Groningen|Tilburg|Almere|Breda|Nijmegen|Apeldoorn|"
          "Haarlem|Enschede|Arnhem|Amersfoort|Zaanstad|Zwolle|Leeuwarden|Maastricht|Dordrecht|Zoetermeer|Emmen|"
          "Leiden|Venlo|Deventer|Delft|Alkmaar|Heerlen|Helmond|Oss|Hilversum|Assen|Lelystad|Middelburg|Roermond|"
          "Sittard|Den Helder|Vlissingen|Kampen|Harderwijk|Goes|Terneuzen|Zutphen|Doetinchem|Hoorn|Purmerend|"
          "Gouda|Veenendaal|Ede|Wageningen|Tiel|Drachten|Sneek|Meppel|Hoogeveen|Coevorden|Ter Apel|Budel|Winterswijk|"
          "Stadskanaal").split("|")
COUNTRIES = ("Rusland|Turkije|Syrië|Eritrea|Afghanistan|Iran|Irak|Jemen|Somalië|Soedan|Nigeria|Marokko|Tunesië|"
             "Libië|Georgië|Armenië|Oekraïne|Moldavië|Kenia|Ethiopië|Mali|Venezuela|Colombia|China|"
             "Pakistan").split("|")
# Publishers of news footnotes, with the host of their URLs.
PUBLISHERS = [("NOS", "nos.nl/artikel"), ("NRC", "www.nrc.nl/nieuws"), ("de Volkskrant", "www.volkskrant.nl/nieuws"),
              ("Trouw", "www.trouw.nl/binnenland"), ("RTL Nieuws", "www.rtlnieuws.nl/nieuws"),
              ("Het Parool", "www.parool.nl/nederland"), ("AD", "www.ad.nl/binnenland"),
              ("Follow the Money", "www.ftm.nl/artikelen"), ("RTV Noord", "www.rtvnoord.nl/nieuws"),
              ("Omroep Brabant", "www.omroepbrabant.nl/nieuws"), ("Reuters", "www.reuters.com/world"),
              ("The Guardian", "www.theguardian.com/world"), ("Dagblad van het Noorden", "dvhn.nl/drenthe"),
              ("De Limburger", "www.limburger.nl/cnt"), ("Omroep Gelderland", "www.gld.nl/nieuws"),
              ("Nieuwsuur", "nos.nl/nieuwsuur/artikel"), ("Binnenlands Bestuur", "www.binnenlandsbestuur.nl/sociaal"),
              ("Investico", "www.platform-investico.nl/artikel"), ("Tubantia", "www.tubantia.nl/enschede"),
              ("Leeuwarder Courant", "lc.nl/friesland")]

# Topics: the posts that answer (per cabinet period), co-addressees, Kamerstuk dossiers of their letters, and
# vocabulary for the grammar's slots. Posts are (title, portfolio); a portfolio 'voor' is listed in the
# parser's people._VOOR_POSTS. Slots: np (a definite noun phrase), actor (a body, singular), groups (plural
# people or bodies), plural (countable things), measure, report, goal (an infinitive clause), subject (openkamer).
TOPICS: dict[str, dict] = {
    "asiel": dict(
        posts=[("Staatssecretaris", "Justitie en Veiligheid")] * 2 + [("Minister", "Asiel en Migratie")],
        co=("Minister", "Buitenlandse Zaken"), dossiers=[("19 637", "Vreemdelingenbeleid"),
                                                        ("36 333", "Opvang van asielzoekers")],
        subject="vreemdelingen asiel migratie",
        np="de opvang van asielzoekers|de doorlooptijden bij de IND|de noodopvang in sporthallen|de gezinshereniging "
           "van nareizigers|het landgebonden asielbeleid|de huisvesting van statushouders|de aanmeldcentra|de "
           "terugkeer van uitgeprocedeerde vreemdelingen|de medische zorg in de opvang|de veiligheid op "
           "opvanglocaties|de spreiding van asielzoekers over gemeenten|de begeleiding van alleenstaande minderjarigen",
        actor="de IND|het COA|de Dienst Terugkeer en Vertrek|de Koninklijke Marechaussee|de Inspectie Justitie en "
              "Veiligheid|de Adviescommissie voor Vreemdelingenzaken|de VNG|de Raad voor de Rechtspraak",
        groups="gemeenten|veiligheidsregio's|asieladvocaten|vluchtelingenorganisaties|opvanglocaties|provincies",
        plural="asielaanvragen|opvangplekken|nareizigers|statushouders|bezwaarschriften|dwangsommen|"
               "beslissingen op aanvragen|kinderen in de noodopvang",
        measure="een tijdelijke noodverordening|de inzet van flexibele opvangplekken|een besluit- en "
                "vertrekmoratorium|de verlenging van de beslistermijn|extra capaciteit bij de IND|"
                "de regeling voor langdurig verblijvende kinderen|een nieuw spreidingsmodel|de taskforce huisvesting",
        report="het jaarverslag van de IND|de monitor van de Inspectie Justitie en Veiligheid|het advies van de "
               "Adviescommissie voor Vreemdelingenzaken|het ambtsbericht over {country}|de Staat van Migratie",
        goal="de wachttijden bij de IND te verkorten|de druk op de aanmeldcentra te verminderen|voldoende "
             "opvangplekken te realiseren|de terugkeer van uitgeprocedeerden te bevorderen|de opvang van kinderen "
             "te verbeteren"),
    "zorg": dict(
        posts=[("Minister", "Volksgezondheid, Welzijn en Sport"), ("Minister", "Medische Zorg"),
               ("Minister", "Volksgezondheid, Welzijn en Sport")],
        co=("Staatssecretaris", "Volksgezondheid, Welzijn en Sport"),
        dossiers=[("25 424", "Geestelijke gezondheidszorg"), ("29 689", "Herziening Zorgstelsel")],
        subject="zorg en gezondheid",
        np="de wachttijden in de ggz|de financiële positie van ziekenhuizen|de acute zorg in de regio|de "
           "arbeidsmarkt in de zorg|de toegang tot de huisartsenzorg|de inkoop van wijkverpleging|de "
           "geneesmiddelentekorten|de jeugdzorg|de spoedeisende hulp|de eigen bijdrage|het "
           "zorgverzekeringspakket|de registratie van wachttijden",
        actor="de NZa|het Zorginstituut|de Inspectie Gezondheidszorg en Jeugd|het RIVM|de Gezondheidsraad|"
              "Zorgverzekeraars Nederland|de Patiëntenfederatie|de ACM",
        groups="zorgverzekeraars|ziekenhuizen|huisartsen|ggz-instellingen|verpleeghuizen|apothekers",
        plural="wachtenden|zorgverleners|ziekenhuisbedden|verwijzingen|meldingen van calamiteiten|"
               "afgewezen aanvragen|vacatures in de zorg|faillissementen",
        measure="de wachtlijstbemiddeling door zorgverzekeraars|het Integraal Zorgakkoord|de "
                "inzet van transformatiemiddelen|een landelijk meldpunt|de normering van de spoedeisende hulp|de "
                "regionale zorgcoördinatie|het programma voor de arbeidsmarkt in de zorg|een maximumtarief",
        report="de marktscan van de NZa|het rapport van de Inspectie Gezondheidszorg en Jeugd|de monitor van het "
               "RIVM|het advies van de Gezondheidsraad|de Staat van Volksgezondheid en Zorg",
        goal="de wachttijden in de ggz te verkorten|de toegankelijkheid van de acute zorg te borgen|het personeel "
             "in de zorg te behouden|de financiële problemen van ziekenhuizen op te lossen|de regionale "
             "samenwerking te versterken"),
    "landbouw": dict(
        posts=[("Minister", "Landbouw, Natuur en Voedselkwaliteit"), ("Minister", "Natuur en Stikstof"),
               ("Minister", "Landbouw, Visserij, Voedselzekerheid en Natuur")],
        co=("Minister", "Infrastructuur en Waterstaat"),
        dossiers=[("35 334", "Problematiek rondom stikstof en PFAS"), ("33 037", "Mestbeleid")],
        subject="landbouw natuur stikstof",
        np="de stikstofdepositie op Natura 2000-gebieden|de aanpak van piekbelasters|de emissiearme stallen|het "
           "mestbeleid|de derogatie|de opkoopregeling voor veehouders|de waterkwaliteit in het landelijk "
           "gebied|de vergunningverlening voor veehouderijen|de gewasbeschermingsmiddelen|de positie van "
           "jonge boeren|het natuurherstel|de bufferstroken langs sloten",
        actor="het RIVM|de NVWA|RVO|de Raad van State|het Planbureau voor de Leefomgeving|de provincie "
              "Gelderland|Wageningen University & Research|de Unie van Waterschappen",
        groups="melkveehouders|provincies|waterschappen|natuurorganisaties|akkerbouwers|varkenshouders",
        plural="veehouderijen|vergunningen|meldingen|hectares natuur|subsidieaanvragen|stalsystemen|"
               "handhavingsverzoeken|controles",
        measure="de Landelijke beëindigingsregeling veehouderijlocaties|de aanpak piekbelasting|de "
                "subsidie voor emissiearme stallen|het Nationaal Programma Landelijk Gebied|een "
                "graslandnorm|de mestverwerkingsplicht|de regeling voor extensivering|een stikstofbank",
        report="het rapport van het Planbureau voor de Leefomgeving|de evaluatie van RVO|de monitor van het "
               "RIVM|het advies van de Commissie Deskundigen Meststoffenwet|de Staat van de Natuur",
        goal="de stikstofuitstoot te verminderen|de waterkwaliteit te verbeteren|boeren perspectief te "
             "bieden|de natuur te herstellen|de vergunningverlening weer op gang te brengen"),
    "defensie": dict(
        posts=[("Minister", "Defensie")] * 3, co=("Minister", "Buitenlandse Zaken"),
        dossiers=[("36 124", "Defensienota"), ("27 830", "Materieelprojecten")],
        subject="defensie krijgsmacht",
        np="de gereedheid van de krijgsmacht|de werving van militairen|de aanschaf van nieuw materieel|de "
           "wapenleveranties aan Oekraïne|de defensie-industrie|de beveiliging van militaire terreinen|de "
           "veteranenzorg|de oefenterreinen in het oosten van het land|de munitievoorraad|de samenwerking "
           "binnen de NAVO|de cyberweerbaarheid|de luchtverdediging",
        actor="de Defensie Materieel Organisatie|de MIVD|de Koninklijke Landmacht|de Koninklijke Marine|het "
              "Veteraneninstituut|de NAVO|de Algemene Rekenkamer|de Inspecteur-Generaal der Krijgsmacht",
        groups="militairen|veteranen|defensiebedrijven|reservisten|omwonenden van oefenterreinen|bondgenoten",
        plural="vacatures|militairen|vliegtuigen|pantservoertuigen|incidenten|oefeningen|contracten|projecten",
        measure="het Defensie Materieel Begrotingsfonds|de Defensie Industrie Strategie|een vrijwillige "
                "dienplicht|de modernisering van de luchtverdediging|het programma voor vastgoed|"
                "de versnelling van aanbestedingen|het personeelsbeleid|een nieuw beloningsgebouw",
        report="het jaarverslag van de Inspecteur-Generaal der Krijgsmacht|de Defensienota|het rapport van de "
               "Algemene Rekenkamer|het Materieelprojectenoverzicht|de Staat van Defensie",
        goal="de gereedheid te verhogen|voldoende militairen te werven|de voorraden aan te vullen|de "
             "defensie-industrie te versterken|de samenwerking met bondgenoten te verdiepen"),
    "buitenland": dict(
        posts=[("Minister", "Buitenlandse Zaken")] * 3, co=("Minister", "Buitenlandse Handel en Ontwikkelingshulp"),
        dossiers=[("36 045", "Situatie in Oekraïne"), ("21 501-02", "Raad Algemene Zaken en Raad Buitenlandse Zaken")],
        subject="internationaal buitenlandse zaken",
        np="de sancties tegen Rusland|de humanitaire hulp aan {country}|de mensenrechtensituatie in {country}|de "
           "consulaire bijstand aan Nederlanders in {country}|de handelsrelatie met {country}|de naleving van het "
           "internationaal humanitair recht|de evacuatie van ambassadepersoneel|de exportcontrole op "
           "dual-use goederen|de Nederlandse inzet in de VN-Veiligheidsraad|het visumbeleid voor {country}",
        actor="de Europese Commissie|de Nederlandse ambassade in {country}|de Verenigde Naties|de OVSE|"
              "de Europese Dienst voor Extern Optreden|het Internationaal Strafhof|de Wereldbank|de NAVO",
        groups="lidstaten|hulporganisaties|Nederlandse bedrijven|mensenrechtenverdedigers|journalisten|gelijkgezinde "
               "landen",
        plural="sanctiepakketten|visumaanvragen|consulaire zaken|vergunningen|schendingen|bijdragen|evacuaties|"
               "meldingen",
        measure="het elfde sanctiepakket|de EU-visumcode|het mensenrechteninstrument|een nieuw "
                "handelsakkoord|de exportcontrole|het noodhulpfonds|de Nederlandse ontwikkelingsbijdrage|"
                "een tijdelijke reisadvieswijziging",
        report="het ambtsbericht over {country}|de mensenrechtenrapportage|het rapport van de VN-Mensenrechtenraad|"
               "de evaluatie van de IOB|de jaarrapportage over wapenexport",
        goal="de druk op {country} op te voeren|de humanitaire toegang te verbeteren|Nederlanders in het "
             "buitenland te ondersteunen|de naleving van sancties te verbeteren|de internationale "
             "rechtsorde te versterken"),
    "onderwijs": dict(
        posts=[("Minister", "Onderwijs, Cultuur en Wetenschap")] * 3,
        co=("Minister", "Sociale Zaken en Werkgelegenheid"),
        dossiers=[("31 293", "Primair Onderwijs"), ("31 288", "Hoger Onderwijs- en Wetenschapsbeleid")],
        subject="onderwijs en wetenschap",
        np="het lerarentekort|de basisvaardigheden van leerlingen|de kansengelijkheid in het onderwijs|de "
           "toegankelijkheid van het hoger onderwijs|de internationalisering van universiteiten|de "
           "huisvesting van studenten|het passend onderwijs|de kwaliteit van het mbo|de sociale veiligheid op "
           "scholen|de studiefinanciering|het thuiszitten van leerlingen|de onderwijsachterstanden",
        actor="de Inspectie van het Onderwijs|de Onderwijsraad|DUO|de PO-Raad|de VO-raad|de Universiteiten van "
              "Nederland|de Vereniging Hogescholen|de MBO Raad",
        groups="scholen|leraren|schoolbesturen|studenten|ouders|universiteiten",
        plural="leraren|leerlingen|thuiszitters|scholen|studenten|vacatures|klachten|opleidingsplaatsen",
        measure="het Nationaal Programma Onderwijs|de basisbeurs|het masterplan basisvaardigheden|de "
                "inzet van werkdrukmiddelen|de regeling voor zij-instromers|een landelijk toelatingsbeleid|de "
                "Wet taal en toegankelijkheid|het stelsel van passend onderwijs",
        report="de Staat van het Onderwijs|het advies van de Onderwijsraad|de monitor van DUO|de "
               "evaluatie van passend onderwijs|de Trendrapportage lerarentekort",
        goal="het lerarentekort terug te dringen|de basisvaardigheden te verbeteren|de kansengelijkheid te "
             "vergroten|thuiszitten te voorkomen|de toegankelijkheid van het onderwijs te borgen"),
    "wonen": dict(
        posts=[("Minister", "Binnenlandse Zaken en Koninkrijksrelaties"),
               ("Minister", "Volkshuisvesting en Ruimtelijke Ordening"),
               ("Minister", "Volkshuisvesting en Ruimtelijke Ordening")],
        co=("Minister", "Financiën"),
        dossiers=[("32 847", "Integrale visie op de woningmarkt"), ("35 517", "Woningbouwopgave")],
        subject="bouwen en wonen",
        np="de bouw van betaalbare woningen|de huurprijzen in de vrije sector|de dakloosheid|de "
           "verduurzaming van huurwoningen|de wachttijden voor sociale huurwoningen|het tekort aan "
           "studentenkamers|de netcongestie bij nieuwbouwprojecten|de positie van starters op de "
           "woningmarkt|de arbeidsmigranten in slechte huisvesting|de leegstand van kantoren|de "
           "woningcorporaties|het huurbeleid",
        actor="de Huurcommissie|Aedes|het Planbureau voor de Leefomgeving|de Woonbond|het Kadaster|"
              "de Autoriteit Woningcorporaties|de VNG|het Centraal Planbureau",
        groups="woningcorporaties|gemeenten|huurders|starters|ontwikkelaars|verhuurders",
        plural="woningen|huurwoningen|bouwvergunningen|daklozen|studentenkamers|bezwaren|huurverhogingen|"
               "projecten",
        measure="de Wet betaalbare huur|de woningbouwimpuls|de startbouwimpuls|een tijdelijke "
                "huurbevriezing|het opkoopbeleid|de bouw van flexwoningen|de regeling voor transformatie van "
                "kantoren|het Programma Woningbouw",
        report="de Staat van de Volkshuisvesting|de monitor van het Kadaster|het rapport van de "
               "Autoriteit Woningcorporaties|de woningmarktverkenning|de evaluatie van de Huurcommissie",
        goal="meer betaalbare woningen te bouwen|dakloosheid terug te dringen|de huren betaalbaar te "
             "houden|de bouwproductie te versnellen|starters een kans te geven"),
    "klimaat": dict(
        posts=[("Minister", "Economische Zaken en Klimaat"), ("Minister", "Klimaat en Energie"),
               ("Minister", "Klimaat en Groene Groei")],
        co=("Minister", "Binnenlandse Zaken en Koninkrijksrelaties"),
        dossiers=[("32 813", "Kabinetsaanpak Klimaatbeleid"), ("33 529", "Gaswinning Groningen")],
        subject="energie klimaat",
        np="de netcongestie|de afbouw van de gaswinning in Groningen|de energierekening van huishoudens|de "
           "windparken op zee|de isolatie van woningen|de waterstofeconomie|de subsidie voor zonnepanelen|de "
           "versterking van woningen in Groningen|de CO2-uitstoot van de industrie|de warmtenetten|de "
           "kerncentrales|de leveringszekerheid van elektriciteit",
        actor="TenneT|het Instituut Mijnbouwschade Groningen|de Nationaal Coördinator Groningen|het Staatstoezicht "
              "op de Mijnen|de ACM|het Planbureau voor de Leefomgeving|RVO|de Nederlandse Emissieautoriteit",
        groups="netbeheerders|energieleveranciers|huishoudens|bewoners|industriële bedrijven|gemeenten",
        plural="aansluitingen|schademeldingen|huishoudens|windturbines|subsidieaanvragen|warmtepompen|"
               "versterkingsadviezen|projecten",
        measure="het prijsplafond voor energie|de salderingsregeling|het Nationaal Isolatieprogramma|de "
                "subsidieregeling voor verduurzaming|de wet collectieve warmte|het energiefonds|het "
                "maatwerkakkoord met de industrie|een nieuwe kerncentrale",
        report="de Klimaat- en Energieverkenning|het rapport van de ACM|de monitor van het Staatstoezicht op "
               "de Mijnen|de capaciteitskaart van TenneT|het advies van de Raad voor de leefomgeving",
        goal="de netcongestie op te lossen|de energierekening betaalbaar te houden|de uitstoot te "
             "verminderen|de schade in Groningen ruimhartig af te handelen|de leveringszekerheid te borgen"),
    "justitie": dict(
        posts=[("Minister", "Justitie en Veiligheid")] * 3,
        co=("Minister", "Binnenlandse Zaken en Koninkrijksrelaties"),
        dossiers=[("29 628", "Politie"), ("24 587", "Justitiële Inrichtingen")],
        subject="openbare orde en veiligheid",
        np="de capaciteit van de politie|de ondermijnende criminaliteit|de wachtlijsten in het "
           "gevangeniswezen|de slachtofferhulp|de aanpak van online fraude|de jeugdcriminaliteit|de "
           "bewaking van de rechtsstaat|de doorlooptijden in de strafrechtketen|de aanpak van "
           "explosies bij woningen|de beveiliging van advocaten|de cameratoezicht in wijken|de "
           "gevangenisstraffen",
        actor="de politie|het Openbaar Ministerie|de Raad voor de Rechtspraak|de Dienst Justitiële "
              "Inrichtingen|de Inspectie Justitie en Veiligheid|de Nationaal Coördinator Terrorismebestrijding "
              "en Veiligheid|het CBS|Slachtofferhulp Nederland",
        groups="agenten|burgemeesters|slachtoffers|rechtbanken|advocaten|gevangenissen",
        plural="aangiftes|agenten|explosies|gedetineerden|zaken|celplaatsen|meldingen|strafzaken",
        measure="het actieprogramma tegen explosies|de capaciteitsverdeling van de politie|de "
                "wijkagentennorm|het Breed Offensief tegen ondermijning|de snelrechtprocedure|de inzet "
                "van bodycams|de regeling voor slachtoffers|het programma voor de strafrechtketen",
        report="het jaarverslag van de politie|de Veiligheidsmonitor van het CBS|het rapport van de "
               "Inspectie Justitie en Veiligheid|het Dreigingsbeeld Terrorisme Nederland|de WODC-evaluatie",
        goal="de politie beter te equiperen|ondermijning tegen te gaan|slachtoffers beter te "
             "ondersteunen|de doorlooptijden te verkorten|explosies bij woningen te voorkomen"),
    "infra": dict(
        posts=[("Minister", "Infrastructuur en Waterstaat")] * 3,
        co=("Staatssecretaris", "Infrastructuur en Waterstaat"),
        dossiers=[("29 984", "Spoor: vervoer- en beheerplan"), ("36 600-A", "Mobiliteitsfonds")],
        subject="verkeer vervoer infrastructuur",
        np="de onderhoudsachterstand van bruggen en viaducten|de dienstregeling van de NS|de verkeersveiligheid "
           "op provinciale wegen|de bereikbaarheid van het landelijk gebied|de luchtkwaliteit rond "
           "Schiphol|de sluizen in het hoofdvaarwegennet|de dijkversterking langs de grote rivieren|de "
           "drinkwatervoorziening|de geluidsoverlast van vliegverkeer|het openbaar vervoer in de "
           "regio|de laadpalen langs snelwegen|de zwerfafvalaanpak",
        actor="Rijkswaterstaat|ProRail|de NS|de Inspectie Leefomgeving en Transport|Schiphol|het "
              "Kennisinstituut voor Mobiliteitsbeleid|de ANWB|de Onderzoeksraad voor Veiligheid",
        groups="reizigers|vervoerders|waterschappen|omwonenden|provincies|drinkwaterbedrijven",
        plural="bruggen|treinritten|verkeersdoden|vluchten|sluizen|storingen|klachten|kilometers dijk",
        measure="het Mobiliteitsfonds|het Hoogwaterbeschermingsprogramma|de vervoerconcessie|een "
                "snelheidsverlaging|het Strategisch Plan Verkeersveiligheid|de instandhoudingsopgave|"
                "de nachtsluiting van Schiphol|het programma voor drinkwater",
        report="de Staat van de Infrastructuur|het rapport van de Onderzoeksraad voor Veiligheid|het "
               "Mobiliteitsbeeld van het KiM|de monitor van Rijkswaterstaat|de evaluatie van de vervoerconcessie",
        goal="de infrastructuur veilig te houden|het openbaar vervoer te verbeteren|het aantal "
             "verkeersdoden terug te dringen|de bereikbaarheid te verbeteren|het land te beschermen tegen "
             "hoogwater"),
}
TOPIC_KEYS = list(TOPICS)
# Compound nouns, the bulk of the vocabulary: a topic's stems times heads times adjectives ('de regionale
# opvangaanpak', 'het tijdelijke zorgfonds'), about a thousand noun phrases per topic.
STEMS = {
    "asiel": "asiel|opvang|migratie|terugkeer|inburgerings|nareis|vreemdelingen|grensbewakings|huisvestings|integratie",
    "zorg": "zorg|ggz-|ziekenhuis|huisartsen|jeugdzorg|preventie|wachttijden|geneesmiddelen|ouderenzorg|spoedzorg",
    "landbouw": "stikstof|mest|natuur|landbouw|water|veehouderij|emissie|bodem|weidevogel|gewasbeschermings",
    "defensie": "defensie|materieel|munitie|personeels|veteranen|cyber|oefen|reservisten|kazerne|luchtmacht",
    "buitenland": "sanctie|visum|handels|ontwikkelings|noodhulp|mensenrechten|export|ambassade|crisis|wederopbouw",
    "onderwijs": "onderwijs|leraren|school|studie|taal|lees|mbo-|examen|stage|scholings",
    "wonen": "woning|huur|bouw|dakloosheids|starters|corporatie|nieuwbouw|verduurzamings|kamerverhuur|transformatie",
    "klimaat": "energie|klimaat|warmte|net|waterstof|isolatie|wind|zonne|versterkings|mijnbouw",
    "justitie": "veiligheids|politie|recherche|criminaliteits|gevangenis|slachtoffer|reclasserings|cybercrime|wijk|"
                "handhavings",
    "infra": "spoor|wegen|water|mobiliteits|verkeersveiligheids|vaarweg|dijk|luchtvaart|drinkwater|fiets",
}
HEADS = [("beleid", "het"), ("plan", "het"), ("programma", "het"), ("regeling", "de"), ("fonds", "het"),
         ("monitor", "de"), ("akkoord", "het"), ("agenda", "de"), ("aanpak", "de"), ("kader", "het"),
         ("norm", "de"), ("opgave", "de"), ("keten", "de"), ("traject", "het"), ("register", "het"),
         ("overleg", "het"), ("loket", "het"), ("convenant", "het"), ("pilot", "de"), ("netwerk", "het"),
         ("strategie", "de"), ("taskforce", "de")]
ADJECTIVES = ("regionale|landelijke|tijdelijke|nieuwe|structurele|integrale|gezamenlijke|aangepaste|verbeterde|"
              "digitale|huidige|voorgenomen|extra|eerste|bestaande|vernieuwde").split("|")
CABINET_STARTS = [date(2022, 1, 10), date(2024, 7, 2)]  # three cabinet periods

# Slots shared by every topic; {slot} in a value is expanded again. Every template combines several slots
# with many values (places, dates, numbers), so that few sentences recur; fixed phrases stay under the eight
# words from which reuse detection counts a sentence.
GENERAL: dict[str, list[str]] = {
    "npx": "{np}|{np} in {place}|{np} in de regio {place}|{np} voor {groups}|{np} in {place} en {place2}".split("|"),
    "freq": "jaarlijks|elk kwartaal|elk halfjaar|maandelijks|periodiek".split("|"),
    "when_short": "de zomer|het einde van het jaar|de begrotingsbehandeling|het voorjaar".split("|"),
    "when": ("voor het zomerreces|in het voorjaar|voor het einde van het jaar|in de eerstvolgende voortgangsbrief|"
             "na afronding van het onderzoek|bij de volgende begroting|uiterlijk in {month_next}").split("|"),
    "stance": ("ziet op dit moment geen aanleiding voor aanvullende maatregelen in {place}|wil eerst de evaluatie "
               "van {measure} afwachten|acht een landelijke aanpak van {np} niet nodig|blijft de ontwikkelingen "
               "in {place} nauwlettend volgen|houdt vast aan de afspraken die in {month_prev} zijn gemaakt").split("|"),
    "updown": "gestegen|gedaald|toegenomen|afgenomen".split("|"),
    "reason": ("de gegevens niet centraal worden geregistreerd|de afstemming met {actor} meer tijd vergt|"
               "de cijfers over {year_prev} nog niet definitief zijn|de verantwoordelijkheid hiervoor bij "
               "{groups} ligt|een deel van de informatie over {place} vertrouwelijk is").split("|"),
    "improve": ("sneller worden geholpen|beter worden geïnformeerd|eerder worden betrokken|een vast aanspreekpunt "
                "krijgen|vaker worden gecontroleerd").split("|"),
    "opinion": ("{npx} structureel tekortschiet|{groups} in {place} niet langer kunnen wachten op {measure}|"
                "{actor} eerder had moeten ingrijpen in {place}|{measure} sinds {year_prev} onvoldoende effect "
                "heeft|de situatie in {place} onaanvaardbaar is voor {groups}").split("|"),
    "issue": ("{actor} onvoldoende zicht heeft op {npx}|het aantal {plural} in {place} sinds {year_prev} met {pct} "
              "procent is gestegen|{groups} in {place} {np} niet op orde hebben|{measure} pas in {year_next} "
              "wordt ingevoerd in {place}|{actor} al in {month_prev} waarschuwde voor {npx}").split("|"),
    "action": ("in overleg te treden met {actor} over {npx}|de Kamer {when} te informeren over {npx}|{measure} "
               "uit te breiden naar {place}|een onafhankelijk onderzoek te laten doen naar {npx}|"
               "{groups} in {place} extra te ondersteunen bij {np}").split("|"),
    "complaint": ("maanden moeten wachten op duidelijkheid over {np}|geen gebruik kunnen maken van {measure}|"
                  "zelf de kosten van {np} moeten dragen|onvoldoende worden gehoord door {actor}").split("|"),
}

QUESTION_OPEN = [
    "Bent u bekend met het bericht «{headline}»?{news}",
    "Heeft u kennisgenomen van het artikel «{headline}»?{news}",
    "Kent u het bericht «{headline}» van {publisher} van {news_date}?{news}",
]
QUESTION = [
    "Klopt het dat {issue}? Zo ja, sinds wanneer?",
    "Hoeveel {plural} [waren er|telde u] in {year_prev} in {place}, en hoe verhoudt dit aantal zich tot "
    "[het landelijke beeld|{place2}]?",
    "Deelt u de mening dat {opinion}? Zo nee, waarom niet?",
    "Welke maatregelen neemt u [voor {month_next}|dit jaar|op korte termijn] om in {place} {goal}?",
    "Bent u bereid {action}? Zo ja, op welke termijn? Zo nee, waarom niet?",
    "Hoe [beoordeelt|weegt|duidt] u de constatering van {actor} dat {issue}?",
    "Wat is de stand van zaken rond {thing} in {place}, en [kan de Kamer de resultaten voor {month_next} "
    "verwachten|wanneer verwacht u de eerste resultaten]?",
    "In hoeverre is {actor} betrokken bij {thing} [in|rond|voor] {place}?",
    "Kunt u aangeven welke gevolgen {thing} heeft voor {groups} in {place} en {place2}?",
    "Wat vindt u ervan dat {groups} in {place} {complaint}?",
    "Kunt u een overzicht geven van de [kosten|uitgaven|resultaten] van {thing} in {place} per jaar sinds "
    "{year_prev}?",
    "Welke rol speelt {report} in uw afweging over {thing}?",
    "[Bent u in gesprek|Spreekt u] met {actor} over {npx}? Zo nee, waarom niet?",
    "Hoe verklaart u dat {thing} in {place} achterblijft bij {place2}?",
    "Wat betekent {thing} concreet voor {groups} in {place} die te maken hebben met {np}?",
    "Welke lessen trekt u uit de ervaringen [in|van] {place} met {thing} sinds {month_prev}?",
]
QUESTION_LEAD = [  # a sentence of context before a question
    "In het [bericht|artikel] wordt [gesteld|beweerd|gemeld] dat {issue}.",
    "Volgens {actor} hebben {groups} in {place} te maken met {np}.",
    "In {year_prev} gaf u aan dat {thing} voor {groups} in {place} voor {when_short} zou worden uitgewerkt.",
    "Uit {report} blijkt dat {issue}.",
    "{Groups} in {place} en {place2} [geven aan|melden|stellen] dat {thing} onder druk staat.",
]
QUESTION_LAST = [
    "Kunt u deze vragen afzonderlijk beantwoorden?",
    "Kunt u deze vragen beantwoorden voor het commissiedebat over {thing} op {future_date}?",
    "Kunt u deze vragen beantwoorden voor de begrotingsbehandeling op {future_date}?",
]
# Stock answers too short for reuse detection (word 3-shingles): longer stock phrases recur in dozens of
# answer sets and would dominate the reuse found.
ANSWER_YES = ["Ja."]
ANSWER_LAST = ["Ja.", "Nee.", "Helaas niet."]
ANSWER = [
    "{Actor} [is verantwoordelijk voor|gaat over|heeft de regie over] {thing} en [informeert mij daarover|"
    "rapporteert daarover] {freq}.",
    "Uit {report} blijkt dat het aantal {plural} in {place} in {year_prev} met {pct} procent is {updown}.",
    "Volgens {report} is het aantal {plural} in {place} sinds {year_prev} met {pct} procent {updown}.",
    "In {year_prev} ging het [landelijk|in totaal] om {num} {plural}, waarvan {num_small} in {place}.",
    "Het kabinet [deelt|begrijpt|herkent] de zorgen over {thing} in {place}, maar {stance}.",
    "Ik heb {actor} gevraagd om {deadline} in kaart te brengen hoe {thing} zich in {place} ontwikkelt.",
    "Daarbij [houdt {actor} rekening met|betrekt {actor} ook|kijkt {actor} naar] {thing} en [de situatie in|de "
    "ervaringen van] {place}[| en {place2}].",
    "Het is niet aan mij om vooruit te lopen op {report}, [dat naar verwachting in {month_next} verschijnt|"
    "waarvan de eerste uitkomsten in {month_next} worden verwacht].",
    "Over [de uitkomsten van |]het overleg [met {actor}|in {place}] over {thing} [informeer ik uw Kamer|"
    "ontvangt de Kamer een brief] {when}.",
    "Er is [op dit moment|momenteel|vooralsnog] geen aanleiding om {thing} in {place} aan te passen, omdat {reason}.",
    "Met {actor} is afgesproken dat {groups} in {place} vanaf {month_next} {improve}.",
    "De [kosten|uitvoeringskosten] van {thing} [bedragen naar verwachting|worden geraamd op] {money} per jaar "
    "vanaf {year_next}.",
    "[Ik onderzoek samen met {actor}|In {place} wordt onderzocht|{Actor} verkent] of {thing} [kan helpen|"
    "bijdraagt] om {goal}.",
    "[Dit vraagt om een zorgvuldige afweging|Een besluit over {thing} vergt zorgvuldigheid], waarbij ook de "
    "gevolgen voor {groups} in {place} [worden betrokken|meewegen].",
    "Signalen over {thing} worden door {actor} {freq} besproken met {groups}[| in {place}].",
    "Een [landelijk|volledig] beeld van {thing} [in|rond] {place} is niet beschikbaar, omdat {reason}.",
    "In de periode {year_prev}–{year} is [in totaal |]{money} beschikbaar gesteld voor {thing}.",
    "{Groups} in {place} en {place2} hebben [aangegeven|laten weten] dat {thing} [onder druk staat|"
    "vertraging oploopt|meer tijd vraagt].",
    "Ik blijf met {actor} en {groups} in gesprek om in {place} {goal}.",
    "De verwachting is dat {thing} op {future_date} in werking treedt.",
    "{Actor} heeft in {month_prev} {num_small} {plural} in {place} [onderzocht|bezocht|gecontroleerd].",
    "Ik herken [niet|het beeld] dat {issue}, maar ik neem de signalen uit {place2} serieus.",
    "Het kabinet zet vanaf {month_next} in op {thing}, waarmee het beoogt {goal}.",
    "Op grond van de [huidige|voorlopige] cijfers is het aantal {plural} in {place} met {pct} procent {updown} "
    "ten opzichte van {year_prev}.",
    "[Ik vind het van belang|Het is belangrijk] dat {groups} in {place} [tijdig|snel] duidelijkheid krijgen "
    "over {thing}.",
    "[De uitvoering van|Het toezicht op] {thing} in {place} ligt bij {actor}[, die hierover {freq} rapporteert|]"
    ".",
    "Naar aanleiding van {report} heeft {actor} aanvullende afspraken gemaakt over {thing}.",
    "[Daarnaast|Ook] [werkt|verkent] {actor} met {groups} aan {thing}, [te beginnen in|met een proef in] {place}.",
    "Voor {thing} is in {year_next} {money} gereserveerd, [bovenop|naast] de middelen voor {thing}.",
    "{Thing} wordt [in {month_next}|na de zomer|dit najaar] geëvalueerd, waarbij {actor} [nadrukkelijk|ook] "
    "kijkt naar {np}.",
]
HEADLINE = [
    "{Actor} waarschuwt voor tekort aan {plural} in {place}",
    "{Groups} in {place} wachten maanden op duidelijkheid over {np}",
    "Onderzoek: {np} schiet tekort in {place}",
    "Kabinet wil {thing} nog dit jaar invoeren",
    "{Actor} slaat alarm over {np}",
    "Zorgen in {place} over {np}",
    "Aantal {plural} in {place} fors {updown}",
    "{Groups} kritisch over {thing}",
]
LETTER_OPEN = [
    "Met deze brief informeer ik uw Kamer over {npx}.",
    "Hierbij ontvangt u de voortgangsrapportage over {thing} over de periode tot en met {month_prev}.",
    "In deze brief ga ik in op {report} en op de gevolgen daarvan voor {npx}.",
    "Met deze brief geef ik invulling aan de toezegging die ik heb gedaan tijdens het commissiedebat over {np} "
    "van {past_date}.",
]
SEE_ALSO = ["Zie ook mijn antwoord op vraag {k}.", "Zie ook het antwoord op vraag {k}.",
            "Zoals aangegeven in het antwoord op vraag {k}, volgt het kabinet {npx} nauwgezet."]
NOTICE_REASON = [
    "aangezien nog niet alle benodigde informatie is ontvangen",
    "aangezien de interdepartementale afstemming meer tijd vergt",
    "omdat voor de beantwoording informatie van {actor} nodig is",
]


@dataclass
class Member:
    name: str  # surname as printed after 'het lid'
    first: str
    party: str

    def full(self) -> str:
        surname = self.name[0].lower() + self.name[1:] if " " in self.name else self.name
        return f"{self.first} {surname}"


MEMBERS = [Member(s, FIRST_NAMES[i % len(FIRST_NAMES)], PARTIES[(i * 7) % len(PARTIES)])
           for i, s in enumerate(MEMBER_SURNAMES)]


def minister(topic: str, period: int, co: bool = False) -> tuple[str, str, str, str]:
    """(title, name, portfolio, party) of the post answering for a topic in a cabinet period (or of the
    topic's co-addressee); every post of every period has its own minister."""
    title, portfolio = TOPICS[topic]["co"] if co else TOPICS[topic]["posts"][period]
    k = (TOPIC_KEYS.index(topic) * 2 + co) * 3 + period  # < 60 = len(MINISTER_SURNAMES)
    return title, MINISTER_SURNAMES[k % len(MINISTER_SURNAMES)], portfolio, PARTIES[k % 5]


def role(title: str, portfolio: str, lower: bool = False) -> str:
    """'Minister van Defensie', 'Minister voor Medische Zorg'."""
    voor = portfolio in ("Medische Zorg", "Volkshuisvesting en Ruimtelijke Ordening", "Klimaat en Energie",
                         "Buitenlandse Handel en Ontwikkelingshulp", "Natuur en Stikstof")
    return f"{title.lower() if lower else title} {'voor' if voor else 'van'} {portfolio}"


# ------------------------------------------------------------------------------------------ dates and numbers

START = date(2020, 9, 1)
EPISODES, DAYS = 7, 2  # 3.5 question sets or letters a day: 10,000 documents span five years


def day_of(e: int) -> int:
    return e * DAYS // EPISODES


def first_episode_on(d: date) -> int:
    """The first episode submitted on or after d."""
    return max(0, -(-EPISODES * (d - START).days // DAYS))


def submitted_on(e: int) -> date:
    return START + timedelta(days=day_of(e))


def dutch(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def session(d: date) -> tuple[int, int]:
    """The parliamentary year ('vergaderjaar') of a date: from mid-September."""
    y = d.year if d >= date(d.year, 9, 15) else d.year - 1
    return y, y + 1


def ah_id(e: int, slot: int, d: date) -> str:
    """An Aanhangsel identifier, its number unique within its parliamentary year: two per episode (slot 0 for
    a notice, 1 for the answers), counted from the first episode that can be answered in that year."""
    y1, y2 = session(d)
    first = first_episode_on(date(y1, 9, 15) - timedelta(days=140))  # answers come within 140 days
    return f"ah-tk-{y1}{y2}-{2 * (e - first) + slot + 1}"


def period_of(d: date) -> int:
    return sum(d >= s for s in CABINET_STARTS)


# ------------------------------------------------------------------------------------------------ the grammar

_PART = re.compile(r"\{(\w+)\}|\[([^\[\]]*)\]")


@lru_cache(maxsize=None)
def parse_template(template: str) -> tuple:
    """A template as parts: text, ('slot', name) for '{name}', ('choice', alternatives) for '[a|b|c]'."""
    parts: list = []
    pos = 0
    for m in _PART.finditer(template):
        if m.start() > pos:
            parts.append(template[pos:m.start()])
        parts.append(("slot", m.group(1)) if m.group(1) else ("choice", tuple(m.group(2).split("|"))))
        pos = m.end()
    if pos < len(template):
        parts.append(template[pos:])
    return tuple(parts)


class Writer:
    """Fills templates for one episode: topic vocabulary first, then the shared slots."""

    def __init__(self, rng: random.Random, topic: str, when: date):
        self.rng, self.topic, self.when = rng, TOPICS[topic], when
        self.cache = {k: v.split("|") for k, v in self.topic.items() if isinstance(v, str)}
        self.stems = STEMS[topic].split("|")
        self.last_place = ""

    def pick(self, name: str) -> str:
        rng, when = self.rng, self.when
        if name[0].isupper():
            value = self.pick(name.lower())
            return value[0].upper() + value[1:]
        if name == "thing":
            return self.thing()
        if name in self.cache:
            return rng.choice(self.cache[name])
        if name in GENERAL:
            return rng.choice(GENERAL[name])
        if name == "place":
            self.last_place = rng.choice(PLACES)
            return self.last_place
        if name == "place2":  # another place than the one just named
            return rng.choice([x for x in PLACES[:12] if x != self.last_place])
        if name == "country":
            return rng.choice(COUNTRIES)
        if name == "publisher":
            return rng.choice(PUBLISHERS)[0]
        if name == "year":
            return str(when.year)
        if name == "year_prev":
            return str(when.year - rng.randint(1, 3))
        if name == "year_next":
            return str(when.year + rng.randint(1, 2))
        if name == "num":
            return f"{rng.randint(2, 60)}.{rng.randint(0, 999):03d}"
        if name == "num_small":
            return str(rng.randint(12, 950))
        if name == "pct":
            return str(rng.randint(3, 68))
        if name == "money":
            return f"€ {rng.randint(2, 480)} miljoen"
        if name in ("month_prev", "month_next"):
            d = when + timedelta(days=rng.randint(20, 200) * (1 if name == "month_next" else -1))
            return f"{MONTHS[d.month - 1]} {d.year}"
        if name == "deadline":
            return f"voor {dutch(when + timedelta(days=rng.randint(40, 160)))}"
        if name in ("future_date", "news_date", "past_date"):
            sign = 1 if name == "future_date" else -1
            return dutch(when + sign * timedelta(days=rng.randint(2, 60)))
        raise KeyError(name)

    def thing(self) -> str:
        """A compound noun phrase of the topic: 'de regionale opvangaanpak'."""
        rng = self.rng
        head, article = rng.choice(HEADS)
        stem = rng.choice(self.stems)
        adjective = rng.choice(ADJECTIVES) + " " if rng.random() < 0.6 else ""
        return f"{article} {adjective}{stem}{head}"

    def fill(self, template: str) -> str:
        """Expand '[a|b|c]' (one of the alternatives) and '{slot}' (a value, expanded in turn)."""
        out = []
        for part in parse_template(template):
            if isinstance(part, str):
                out.append(part)
            elif part[0] == "slot":
                out.append(self.fill(self.pick(part[1])))
            else:
                out.append(self.fill(self.rng.choice(part[1])))
        return "".join(out)

    def sentence(self, templates: list[str]) -> str:
        return self.capital(self.fill(self.rng.choice(templates)))

    def sentences(self, templates: list[str], k: int) -> list[str]:
        """k sentences from distinct templates: two sentences of one block never share a template (the build
        locates a sentence by its first and last three words)."""
        return [self.capital(self.fill(t)) for t in self.rng.sample(templates, k)]

    @staticmethod
    def capital(s: str) -> str:
        return s[0].upper() + s[1:]


# -------------------------------------------------------------------------------------------------- episodes

# Footnote markers stay placeholders until a document is rendered: '\x00k\x00' is note k of the episode.
def marker(k: int) -> str:
    return f"\x00{k}\x00"


MARKER = re.compile("\x00(\\d+)\x00")


@dataclass
class Plan:
    """What an episode is, cheap to compute: kind, people, dates, identifiers and the documents it renders."""

    e: int
    kind: str  # "questions" | "letter"
    topic: str
    submitted: date
    period: int
    shapes: list[str] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    co_addressee: bool = False
    notice: date | None = None
    answered: date | None = None
    zaak: str = ""
    ah_notice: str | None = None
    ah_answer: str | None = None  # the answer set's identifier, if its document states one
    kst: str | None = None  # a letter's identifier
    dossier: tuple[str, str] | None = None
    letter_nr: int = 0
    word_style: str = "numbered"
    n_questions: int = 0


FIRST_EPISODES = [  # the first episodes show every shape, so small corpora have them all
    ("letter", []), ("questions", ["kv-questions", "ah-notice", "ah-answer"]),
    ("questions", ["kv-bare", "word-notice", "word-answer"]), ("questions", ["openkamer"]),
    ("questions", ["ah-old"]), ("questions", ["kv-bare", "ah-answer"]), ("questions", ["ah-answer"]),
]


# Documents that state only the case number, and documents that state only the questions, submitters and
# date: an episode with both needs a document that states both (kv-bare), or they make two question sets.
CASE_ONLY = {"word-notice", "word-answer"}
PRINT_ONLY = {"kv-questions", "ah-notice", "ah-answer", "ah-old"}


def _shapes(rng: random.Random) -> list[str]:
    """The documents of a question episode (see the module docstring), in the order they appear."""
    if rng.random() < 0.1:
        return ["openkamer"]
    question = rng.choices([None, "kv-questions", "kv-bare"], [0.62, 0.16, 0.22])[0]
    answer = rng.choices(["ah-answer", "ah-old", "word-answer", None], [0.62, 0.08, 0.25, 0.05])[0]
    notice = rng.choice(["ah-notice", "word-notice"]) if answer and rng.random() < 0.22 else None
    if answer is None and question is None:
        question = "kv-bare"
    if answer == "word-answer" and question is None and notice is None and rng.random() < 0.5:
        question = "kv-bare"  # a Word answer names no submitter: often another document of the set does
    shapes = {question, notice, answer} - {None}
    if shapes & CASE_ONLY and shapes & PRINT_ONLY:
        question = "kv-bare"
    return [s for s in (question, notice, answer) if s]


@lru_cache(maxsize=None)
def plan(seed: int, e: int) -> Plan:
    rng = random.Random(f"{seed}:plan:{e}")
    submitted = submitted_on(e)
    kind, shapes = FIRST_EPISODES[e] if e < len(FIRST_EPISODES) else (
        ("letter", []) if rng.random() < 0.07 else ("questions", None))
    if shapes is None:
        shapes = _shapes(rng)
    period = period_of(submitted)
    topic = rng.choice(TOPIC_KEYS)
    p = Plan(e, kind, topic, submitted, period, list(shapes))
    if kind == "letter":
        p.dossier = rng.choice(TOPICS[topic]["dossiers"])
        p.letter_nr = 1000 + e
        p.kst = f"kst-{p.dossier[0].replace(' ', '')}-{p.letter_nr}"
        return p
    p.members = [rng.choice(MEMBERS)]
    if rng.random() < 0.3 and "openkamer" not in shapes:
        p.members += rng.sample(MEMBERS, rng.choice([1, 1, 2]))
        p.members = list({m.name: m for m in p.members}.values())
    p.co_addressee = rng.random() < 0.25
    y = submitted.year
    # case numbers count up through the year, as the Tweede Kamer's do: 2021Z00468 in January, 2021Z19041 (which
    # holds '1904' + '1', a year and a footnote marker to a careless reader) in the autumn, up to about 2021Z24000
    k = e + (EPISODES * (START - date(y, 1, 1)).days // DAYS)  # episodes since 1 January (as if the corpus began then)
    p.zaak = f"{y}Z{1 + 19 * k + rng.randrange(19):05d}"
    p.n_questions = rng.choice([2, 3, 3, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15])
    notice = any(s.endswith("notice") for s in shapes) or ("openkamer" in shapes and rng.random() < 0.25)
    if notice:
        p.notice = submitted + timedelta(days=rng.randint(19, 27))
        p.answered = p.notice + timedelta(days=rng.randint(7, 80))
    elif rng.random() < 0.15:
        p.answered = submitted + timedelta(days=rng.randint(43, 110))  # late, without a notice
    else:
        p.answered = submitted + timedelta(days=rng.randint(12, 42))
    if not any(s in shapes for s in ("ah-answer", "ah-old", "word-answer", "openkamer")):
        p.answered = None
    if "ah-notice" in shapes:
        p.ah_notice = ah_id(e, 0, p.notice)
    if "ah-answer" in shapes or "openkamer" in shapes:
        p.ah_answer = ah_id(e, 1, p.answered)
    p.word_style = rng.choice(["numbered", "labels", "labels"])
    return p


@dataclass
class Content:
    """The text of an episode: headers, questions, answers and footnotes with marker placeholders."""

    plan: Plan
    title: str = ""
    headline: str = ""
    questions: list[str] = field(default_factory=list)  # question k+1
    qgroups: list[tuple[int, ...]] = field(default_factory=list)  # labels of question blocks
    agroups: list[tuple[int, ...]] = field(default_factory=list)  # labels of answer blocks
    answers: dict[tuple[int, ...], list[str]] = field(default_factory=dict)  # paragraphs per answer block
    refers: dict[tuple[int, ...], list[int]] = field(default_factory=dict)  # 'zie het antwoord op vraag k'
    plain: list[str] = field(default_factory=list)  # paragraphs without markers or references (reusable)
    notes: list[str] = field(default_factory=list)  # footnote texts, by placeholder number
    cites: dict[int, str] = field(default_factory=dict)  # footnote placeholder -> identifier it cites
    in_text: list[str] = field(default_factory=list)  # identifiers cited in running text ('(Kamerstuk …)')
    paragraphs: list[str] = field(default_factory=list)  # a letter's body
    notice_reason: str = ""


def news_note(w: Writer, headline: str, when: date) -> str:
    rng = w.rng
    publisher, host = rng.choice(PUBLISHERS)
    slug = re.sub(r"[^a-z0-9]+", "-", headline.lower()).strip("-")
    day = dutch(when - timedelta(days=rng.randint(1, 9)))
    url = f"https://{host}/{rng.randint(2300000, 2599999)}-{slug}"
    return rng.choice([f"{publisher}, {day}, «{headline}» ({url})", f"{publisher}, {day}, «{headline}», {url}",
                       f"{publisher}, {day}, «{headline}»"])


def kst_text(p: Plan, style: int) -> str:
    """How a text cites a letter: 'Kamerstuk 19 637, nr. 1003' or 'Kamerstukken II 2022/23, 19 637, nr. 1003'."""
    dossier = p.dossier[0]
    y1, y2 = session(p.submitted)
    return [f"Kamerstuk {dossier}, nr. {p.letter_nr}",
            f"Kamerstukken II {y1}/{str(y2)[2:]}, {dossier}, nr. {p.letter_nr}"][style]


def ah_text(p: Plan, style: int) -> str:
    """How a text cites an answer set: 'Aanhangsel Handelingen[ II], vergaderjaar 2022–2023, nr. 1663'."""
    y1, y2 = session(p.answered)
    nr = p.ah_answer.rsplit("-", 1)[1]
    return [f"Aanhangsel Handelingen, vergaderjaar {y1}–{y2}, nr. {nr}",
            f"Aanhangsel Handelingen II, vergaderjaar {y1}–{y2}, nr. {nr}"][style]


def earlier(seed: int, p: Plan, rng: random.Random, want: str) -> Plan | None:
    """An earlier episode to cite: a letter ('kst') or an answer set with an identifier ('ah'), same topic
    preferred, within the last 400 episodes."""
    candidates = []
    for e in range(p.e - 1, max(-1, p.e - 400), -1):
        q = plan(seed, e)
        if (want == "kst" and q.kst) or (want == "ah" and q.ah_answer):
            candidates.append(q)
            if q.topic == p.topic or len(candidates) >= 12:
                break
    if not candidates:
        return None
    same = [q for q in candidates if q.topic == p.topic]
    return same[0] if same and rng.random() < 0.8 else rng.choice(candidates)


class Notes:
    """Collects an episode's footnotes and what they cite."""

    def __init__(self, content: Content):
        self.c = content

    def add(self, text: str, cites: str | None = None) -> str:
        k = len(self.c.notes)
        self.c.notes.append(text)
        if cites:
            self.c.cites[k] = cites
        return marker(k)


@lru_cache(maxsize=2048)
def content(seed: int, e: int) -> Content:
    p = plan(seed, e)
    rng = random.Random(f"{seed}:content:{e}")
    w = Writer(rng, p.topic, p.submitted)
    c = Content(p)
    if p.kind == "letter":
        _letter_text(seed, c, w)
    else:
        _questions(seed, c, w)
        _answers(seed, c, w)
    return c


def _questions(seed: int, c: Content, w: Writer) -> None:
    p, rng, notes = c.plan, w.rng, Notes(c)
    c.headline = w.sentence(HEADLINE)
    c.title = (f"het bericht «{c.headline}»" if rng.random() < 0.75 else w.fill("{np}"))
    n = p.n_questions
    qs = []
    if c.title.startswith("het bericht"):
        template = rng.choice(QUESTION_OPEN).replace("{headline}", c.headline)
        qs.append(w.fill(template.replace("{news}", notes.add(news_note(w, c.headline, p.submitted)))))
    pool = w.sentences(QUESTION, n)  # distinct templates: grouped questions are one block
    while len(qs) < n:
        q = pool[len(qs)]
        if rng.random() < 0.5:
            q = w.sentence(QUESTION_LEAD) + " " + q
        r = rng.random()
        if r < 0.08:
            q = w.fill("Herinnert u zich de antwoorden op eerdere vragen over {thing} [in|rond] {place}?")
            cited = earlier(seed, p, rng, "ah")
            q += notes.add(ah_text(cited, rng.randrange(2)), cited.ah_answer) if cited else ""
        elif r < 0.14:
            cited = earlier(seed, p, rng, "kst")
            if cited:
                q = (w.fill("Hoe verhoudt {measure} zich tot uw brief van ") + dutch(cited.submitted) + "?"
                     + notes.add(kst_text(cited, rng.randrange(2)) + ".", cited.kst))
        elif r < 0.24:
            q += notes.add(news_note(w, w.sentence(HEADLINE), p.submitted))
        qs.append(q)
    if n >= 4 and rng.random() < 0.3:
        qs[-1] = w.sentence(QUESTION_LAST)
    c.questions = qs
    # Grouped question labels ('Vraag 2 en 3') only where one document alone renders the questions: the
    # other renderings list them one by one, and the question set is recognised by identical questions.
    renderings = [s for s in p.shapes if s in ("kv-questions", "kv-bare", "ah-notice", "word-answer", "ah-answer",
                                                "ah-old", "openkamer")]
    alone = renderings in (["ah-answer"], ["ah-old"], ["openkamer"])
    c.qgroups = _group([(k,) for k in range(1, n + 1)], rng, 0.15 if alone else 0.0)
    # a page that answers each question block once, and a Word file numbering '1.' + 'Antwoord:', do not
    # group answers beyond the questions
    one_each = "openkamer" in p.shapes or ("word-answer" in p.shapes and p.word_style == "numbered")
    c.agroups = c.qgroups if one_each else _group(c.qgroups, rng, 0.12)


def _group(groups: list[tuple[int, ...]], rng: random.Random, chance: float) -> list[tuple[int, ...]]:
    """Merge neighbouring groups now and then (never more than four questions in one)."""
    out: list[tuple[int, ...]] = []
    for g in groups:
        if out and len(out[-1]) + len(g) <= 4 and rng.random() < chance:
            out[-1] = out[-1] + g
        else:
            out.append(g)
    return out


def _answers(seed: int, c: Content, w: Writer) -> None:
    rng, notes = w.rng, Notes(c)
    reuse = rng.random() < 0.04
    substantive: list[int] = []  # questions answered so far with more than a line: they can be referred to
    for gi, group in enumerate(c.agroups):
        paras: list[str] = []
        refers: list[int] = []
        first, last = group[0] == 1, group[-1] == len(c.questions)
        if first and c.title.startswith("het bericht") and len(group) == 1 and rng.random() < 0.7:
            paras.append(rng.choice(ANSWER_YES))
        elif last and c.questions[-1].startswith("Kunt u deze vragen") and len(group) == 1:
            paras.append(w.sentence(ANSWER_LAST))
        elif substantive and rng.random() < 0.04:  # an answer that is only a reference
            k = rng.choice(substantive)
            paras.append(f"Zie het antwoord op vraag {k}." if rng.random() < 0.3 else w.capital(w.fill(
                "voor {thing} in {place} en de gevolgen voor {groups} verwijs ik naar het antwoord op vraag ")
                + f"{k}."))
            refers.append(k)
        else:
            counts = [rng.randint(2, 5) for _ in range(rng.choice([1, 2, 2, 3]))]
            pool = w.sentences(ANSWER, sum(counts))
            for k in counts:
                para = " ".join(pool[:k])
                pool = pool[k:]
                c.plain.append(para)
                paras.append(para)
            if substantive and rng.random() < 0.12:
                k = rng.choice(substantive)
                paras[-1] += " " + w.fill(rng.choice(SEE_ALSO).replace("{k}", str(k)))
                refers.append(k)
            substantive += [n for n in group if len(group) == 1]
            extra = _reference(seed, c, w, notes)
            if extra:
                paras[-1] += " " + extra
        c.answers[group] = paras
        c.refers[group] = refers
    if reuse and c.answers:
        source = earlier_plain(seed, c.plan, rng)
        if source:
            full = [g for g in c.agroups if not c.refers[g] and c.answers[g][0] not in ANSWER_YES + ANSWER_LAST]
            if full:  # the whole answer is the earlier paragraph (one block never repeats a template)
                c.answers[rng.choice(full)] = [source]


def earlier_plain(seed: int, p: Plan, rng: random.Random) -> str | None:
    """A paragraph of an earlier answer on the same topic, to be reused word for word."""
    for e in range(p.e - 1, max(-1, p.e - 60), -1):
        q = plan(seed, e)
        if q.kind == "questions" and q.topic == p.topic and q.answered:
            paras = content(seed, e).plain
            if paras:
                return rng.choice(paras)
    return None


def _reference(seed: int, c: Content, w: Writer, notes: Notes) -> str:
    """Now and then a sentence citing another document: an earlier letter or answer of the corpus, or a
    letter or report the corpus does not hold."""
    p, rng = c.plan, w.rng
    r = rng.random()
    if r < 0.06:
        cited = earlier(seed, p, rng, "kst")
        if cited:
            c.in_text.append(cited.kst)
            return (f"Uw Kamer is bij brief van {dutch(cited.submitted)} " + w.fill("over {npx} geïnformeerd")
                    + f" ({kst_text(cited, 0)}).")
    elif r < 0.1:
        cited = earlier(seed, p, rng, "kst")
        if cited:
            return (f"In mijn brief van {dutch(cited.submitted)}" + notes.add(kst_text(cited, rng.randrange(2)),
                                                                              cited.kst)
                    + w.fill(" heb ik uiteengezet hoe {np} wordt aangepakt."))
    elif r < 0.15:
        cited = earlier(seed, p, rng, "ah")
        if cited:
            c.in_text.append(cited.ah_answer)
            m = cited.members[0]
            return (w.fill(f"Ik verwijs naar de antwoorden op de vragen van het lid {m.name} ({m.party}) over "
                           "{np} (") + ah_text(cited, rng.randrange(2)) + ").")
    elif r < 0.35:
        return w.fill(rng.choice([
            "In mijn brief van {past_date} heb ik uw Kamer geïnformeerd over {measure}.",
            "Dit blijkt ook uit het ambtsbericht over {country} van {month_prev}.",
            "Ik verwijs hiervoor naar de brief van {past_date} over {np}.",
        ]))
    return ""


def _letter_text(seed: int, c: Content, w: Writer) -> None:
    p, rng, notes = c.plan, w.rng, Notes(c)
    paras = [w.sentence(LETTER_OPEN) + " " + w.sentence(ANSWER)]
    for _ in range(rng.randint(4, 9)):
        para = " ".join(w.sentences(ANSWER, rng.randint(2, 5)))
        if rng.random() < 0.3:
            para += " " + _reference(seed, c, w, notes)
        if rng.random() < 0.15:
            para += w.fill(" Dit beeld van {thing} wordt bevestigd door berichtgeving uit {place}") + notes.add(
                news_note(w, w.sentence(HEADLINE), p.submitted)) + "."
        paras.append(para.strip())
    paras.append(w.fill("Over de voortgang van {thing} en {np} informeer ik uw Kamer {when}."))
    c.paragraphs = paras


# ------------------------------------------------------------------------------------------------- rendering

def wrap(text: str, width: int) -> list[str]:
    """Greedy line breaking at spaces, before any word, as in real text: a line may start like a label
    ('antwoord op vraag 3.'), with a number ('2, volgt het kabinet', '1 november 2020).') or a year. (A
    footnote marker is glued to the word before it and never starts a line.)"""
    lines, cur = [], ""
    for token in text.split(" "):
        size = len(token) if "\x00" not in token else len(MARKER.sub("1", token))
        if not cur:
            cur = token
        elif len(cur) + 1 + size <= width:
            cur += " " + token
        else:
            lines.append(cur)
            cur = token
    if cur:
        lines.append(cur)
    return lines


class Numbering:
    """Numbers an episode's footnote placeholders in the order a document shows them."""

    def __init__(self, c: Content, keep: bool = True):
        self.c, self.keep = c, keep
        self.number: dict[int, int] = {}
        self.notes: list[tuple[int, str]] = []
        self.where: dict[int, list[str]] = {}  # note number -> the blocks its markers stand in

    def line(self, text: str, where: str | None = None) -> tuple[str, list[int]]:
        """The text with its markers numbered; `where` is the block it belongs to ('question 3 en 4 en 5')."""
        found = []

        def sub(m: re.Match) -> str:
            k = int(m.group(1))
            if not self.keep:
                return ""
            if k not in self.number:
                self.number[k] = len(self.number) + 1
                self.notes.append((self.number[k], self.c.notes[k]))
            found.append(self.number[k])
            if where and where not in self.where.setdefault(self.number[k], []):
                self.where[self.number[k]].append(where)
            return str(self.number[k])

        return MARKER.sub(sub, text), found

    def cited(self) -> set[str]:
        return {self.c.cites[k] for k in self.number if k in self.c.cites}

    def marker_in(self) -> list[list[str]]:
        """Per footnote, in number order, the blocks its markers stand in (as the parser names them)."""
        return [self.where.get(n, []) for n, _ in self.notes]


def block(kind: str, group: tuple[int, ...]) -> str:
    """How the parser names a block: 'question 2', 'answer 3 en 4 en 5' (every number, a range expanded)."""
    return f"{kind} {' en '.join(map(str, group))}"


def text_cites(c: Content, paragraphs: list[str]) -> set[str]:
    """The identifiers the episode cites in running text that these paragraphs (those a document shows,
    after reuse replaced some) contain."""
    body = " ".join(paragraphs)
    return {ident for ident in c.in_text if _citation(ident) in body}


def _citation(ident: str) -> str:
    """How running text ends a citation of an identifier: 'nr. 1003)'; an Aanhangsel number with its year."""
    nr = ident.rsplit("-", 1)[1]
    if ident.startswith("kst-"):
        return f"nr. {nr})"
    y = ident.split("-")[2]
    return f"vergaderjaar {y[:4]}–{y[4:]}, nr. {nr})"


def labels(kind: str, group: tuple[int, ...], style: str = "aanhangsel") -> str:
    nums = _nums(group, style)
    if kind == "question":
        return f"Vraag {nums}"
    return {"aanhangsel": f"Antwoord {nums}", "op": f"Antwoord op vraag {nums}",
            "vragen": f"Antwoord vragen {nums}"}[style if len(group) > 1 or style == "op" else "aanhangsel"]


def _nums(group: tuple[int, ...], style: str) -> str:
    if len(group) == 1:
        return str(group[0])
    if style == "vragen":
        return ",".join(map(str, group[:-1])) + f" en {group[-1]}"
    if len(group) >= 3 and group[0] % 2:
        return f"{group[0]} t/m {group[-1]}"
    return ", ".join(map(str, group[:-1])) + f" en {group[-1]}"


def submitters_text(members: list[Member], full: bool = False) -> str:
    """'het lid Koekkoek (Volt)', 'de leden Paternotte en Podt (beiden D66)', 'Jasper van Dijk (SP)'."""
    if len(members) == 1:
        m = members[0]
        return f"{m.full()} ({m.party})" if full else f"het lid {m.name} ({m.party})"
    if len({m.party for m in members}) == 1:
        names = ", ".join(m.name for m in members[:-1]) + f" en {members[-1].name}"
        return f"de leden {names} ({'beiden' if len(members) == 2 else 'allen'} {members[0].party})"
    parts = [f"{m.name} ({m.party})" for m in members]
    return "de leden " + ", ".join(parts[:-1]) + f" en {parts[-1]}"


def addressees_text(p: Plan, lower: bool = False) -> str:
    title, _, portfolio, _ = minister(p.topic, p.period)
    text = f"de {role(title, portfolio, lower)}"
    if p.co_addressee:
        t2, _, pf2, _ = minister(p.topic, p.period, co=True)
        text += f" en de {role(t2, pf2, lower)}"
    return text


def answerer_text(p: Plan, lower: bool = False, what: str = "Antwoord") -> str:
    title, name, portfolio, _ = minister(p.topic, p.period)
    text = f"{what} van {title.lower() if lower else title} {name} ({portfolio})"
    if p.co_addressee:
        t2, _, pf2, _ = minister(p.topic, p.period, co=True)
        text += f", mede namens de {role(t2, pf2, lower)}"
    return text


def questions_header(c: Content, full: bool = False, lower: bool = False) -> str:
    p = c.plan
    text = (f"Vragen van {submitters_text(p.members, full)} aan {addressees_text(p, lower)} over {c.title} "
            f"(ingezonden {dutch(p.submitted)}).")
    return text


def notice_sentence(c: Content, w_rng: random.Random) -> str:
    p = c.plan
    reason = Writer(w_rng, p.topic, p.submitted).fill(w_rng.choice(NOTICE_REASON))
    return (f"Hierbij deel ik u mede dat de schriftelijke vragen van {submitters_text(p.members)} van uw Kamer "
            f"aan {addressees_text(p)} over {c.title} (ingezonden {dutch(p.submitted)}) niet binnen de "
            f"gebruikelijke termijn kunnen worden beantwoord, {reason}. Ik streef ernaar de vragen zo spoedig "
            f"mogelijk te beantwoorden.")


@dataclass
class Line:
    text: str
    notes: list[int] = field(default_factory=list)
    label: bool = False
    para_end: bool = False  # a page may break after this line


def block_lines(numbering: Numbering, label: str | None, paragraphs: list[str], width: int,
                where: str | None = None) -> list[Line]:
    """A label line, then the paragraphs wrapped, their footnote markers numbered (standing in `where`)."""
    out = [Line(label, label=True)] if label else []
    for para in paragraphs:
        for raw in wrap(para, width):
            text, found = numbering.line(raw, where)
            out.append(Line(text, found))
        out[-1].para_end = True
    return out


def paginate(lines: list[Line], numbering: Numbering, page_len: int, note_width: int, footer,
             note_sep: str = "") -> list[str]:
    """Lay lines out on pages: each page ends with the footnotes of its markers and footer(page number).
    Pages break only after a paragraph or before a label."""
    notes = dict(numbering.notes)
    out: list[str] = []
    page, page_notes, count, number = [], [], 0, 1

    def flush() -> None:
        nonlocal page, page_notes, count, number
        out.extend(page)
        for n in page_notes:
            body = wrap(notes[n], note_width)
            out.append(f"{n}{note_sep}{body[0]}")
            out.extend(body[1:])
        out.extend(footer(number))
        page, page_notes, count, number = [], [], 0, number + 1

    for i, ln in enumerate(lines):
        breakable = ln.label or (i > 0 and lines[i - 1].para_end)
        if count >= page_len and breakable:
            flush()
        page.append(ln.text)
        page_notes.extend(ln.notes)
        count += 1 + sum(len(wrap(notes[n], note_width)) for n in ln.notes)
    flush()
    return out


def _session_text(d: date) -> str:
    y1, y2 = session(d)
    return f"{y1}–{y2}"


def render_ah(c: Content, shape: str, rng: random.Random) -> tuple[str, dict]:
    """Aanhangsel van de Handelingen as PDF text: answers (ah-answer) or a postponement notice (ah-notice)."""
    p = c.plan
    notice = shape == "ah-notice"
    d = p.notice if notice else p.answered
    ident = p.ah_notice if notice else p.ah_answer
    nr = ident.rsplit("-", 1)[1]
    sess = _session_text(d)
    numbering = Numbering(c)
    head = ["Tweede Kamer der Staten-Generaal2", f"Vergaderjaar {sess} Aanhangsel van de Handelingen",
            "Vragen gesteld door de leden der Kamer, met de daarop door de", "regering gegeven antwoorden", nr]
    head += wrap(questions_header(c), 78)
    what = "Mededeling" if notice else "Antwoord"
    second = f"{answerer_text(p, what=what)} (ontvangen {dutch(d)})."
    if not notice and p.ah_notice:
        y1, y2 = session(p.notice)
        nr_notice = p.ah_notice.rsplit("-", 1)[1]
        second += f" Zie ook Aanhangsel Handelingen, vergaderjaar {y1}–{y2}, nr. {nr_notice}."
    head += wrap(second, 78)
    lines: list[Line] = [Line(t) for t in head]
    lines[-1].para_end = True
    qgroups = [(k,) for k in range(1, len(c.questions) + 1)] if notice else c.qgroups
    answer_after = {g[-1]: g for g in c.agroups}  # an answer follows the last question it answers
    shown_answers = []
    for g in qgroups:
        lines += block_lines(numbering, labels("question", g), [" ".join(c.questions[k - 1] for k in g)], 78,
                             block("question", g))
        if not notice and g[-1] in answer_after:
            a = answer_after[g[-1]]
            lines += block_lines(numbering, labels("answer", a), c.answers[a], 78, block("answer", a))
            shown_answers.append(a)
    if notice:
        text = notice_sentence(c, rng)
        if rng.random() < 0.5:
            text = text.replace(f"(ingezonden {dutch(p.submitted)})", f"({p.zaak})")
        lines.append(Line("Mededeling", label=True))
        lines += [Line(t) for t in wrap(text, 78)]
    glue = rng.random() < 0.4

    def footer(page: int) -> list[str]:
        if page == 1:
            return [" ", "  ", ident, f"ISSN 0921 - 7398’s-Gravenhage {d.year}Tweede Kamer, vergaderjaar {sess}, "
                                      f"Aanhangsel {page}"]
        return [f"Tweede Kamer, vergaderjaar {sess}, Aanhangsel {page}"]

    body = paginate(lines, numbering, 44, 96, footer)
    text = "\n".join(body) + "\n"
    if glue:  # PDF extraction glues a page footer to the label that follows it
        text = re.sub(r"(Aanhangsel \d+)\n((?:Vraag|Antwoord) \d)", r"\1\2", text)
    identifiers = [ident] + ([p.zaak] if notice and f"({p.zaak})" in text else [])
    cites = numbering.cited() | text_cites(c, [a for g in shown_answers for a in c.answers[g]])
    if not notice and p.ah_notice:
        cites.add(p.ah_notice)
    return text, dict(kind="postponement-notice" if notice else "written-questions-with-answers",
                      identifiers=identifiers, questions=qgroups, answers=[] if notice else shown_answers,
                      cites=cites, footnotes=len(numbering.notes), marker_in=numbering.marker_in(), date=d)


def render_old(c: Content, shape: str, rng: random.Random) -> tuple[str, dict]:
    """Older PDF text (dossier 000, 001, 003): lines end with a space, a page's footnotes follow its last
    line, and the next page starts with a line indented by one space; answers end with a page footer."""
    p = c.plan
    numbering = Numbering(c)
    questions_only = shape == "kv-questions"
    head = [questions_header(c, full=rng.random() < 0.5)]
    if not questions_only:
        head.append(f"{answerer_text(p)} (ontvangen {dutch(p.answered)}).")
    lines: list[Line] = []
    for sentence in head:
        lines += [Line(t + " ") for t in wrap(sentence, 74)] + [Line("")]
    qgroups = [(k,) for k in range(1, len(c.questions) + 1)] if questions_only else c.qgroups
    answer_after = {g[-1]: g for g in c.agroups}
    shown = []
    for g in qgroups:
        shown_block = block_lines(numbering, labels("question", g), [" ".join(c.questions[k - 1] for k in g)], 74,
                                  block("question", g))
        if not questions_only and g[-1] in answer_after:
            a = answer_after[g[-1]]
            shown_block += [Line("")] + block_lines(numbering, labels("answer", a), c.answers[a], 74,
                                                    block("answer", a))
            shown.append(a)
        lines += shown_block + [Line("")]
    notes = dict(numbering.notes)
    out: list[str] = []
    page_notes: list[int] = []
    count = 0
    for i, ln in enumerate(lines):
        text = ln.text.rstrip() + " " if ln.text and not ln.label else ln.text
        if count >= 46 and ln.text and (ln.label or not lines[i - 1].text):
            out += [f"{n} " + "\n".join(wrap(notes[n], 92)) for n in page_notes]
            page_notes, count, text = [], 0, " " + text
        out.append(text)
        page_notes += ln.notes
        count += 1
    for n in page_notes:
        out += [f"{n} " + "\n".join(wrap(notes[n], 92)), ""]
    if not questions_only:
        out.append(f"Tweede Kamer, vergaderjaar {_session_text(p.answered)}, Aanhangsel {rng.randint(1, 3)}")
    out[0] = " " + out[0]
    text = "\n".join(out) + "\n "
    cites = numbering.cited() | text_cites(c, [a for g in shown for a in c.answers[g]])
    return text, dict(kind="written-questions" if questions_only else "written-questions-with-answers",
                      identifiers=[], questions=qgroups, answers=shown, cites=cites,
                      footnotes=len(numbering.notes), marker_in=numbering.marker_in(),
                      date=p.submitted if questions_only else p.answered)


def render_bare(c: Content, shape: str, rng: random.Random) -> tuple[str, dict]:
    """The tweedekamer.nl question document: case number, header, bare '1' labels, footnotes at the end."""
    p = c.plan
    numbering = Numbering(c)
    out = [p.zaak, *wrap(questions_header(c, lower=True), 112), ""]
    for k, q in enumerate(c.questions, 1):
        out.append(str(k))
        for t in wrap(q, 140):
            out.append(numbering.line(t, block("question", (k,)))[0])
        out.append("")
    out += [f"{n} {t}" for n, t in numbering.notes]
    text = "\n".join(out) + "\n"
    return text, dict(kind="written-questions", identifiers=[p.zaak], questions=[(k,) for k in
                      range(1, len(c.questions) + 1)], answers=[], cites=numbering.cited(),
                      footnotes=len(numbering.notes), marker_in=numbering.marker_in(), date=p.submitted)


def render_word(c: Content, shape: str, rng: random.Random) -> tuple[str, dict]:
    """The ministry's Word file: 'AH 617', the case number, one line per paragraph. Answers are '1.' +
    'Antwoord:' (no footnotes) or 'Vraag 1' + 'Antwoord op vraag 1' / 'Antwoord vragen 1,2 en 3'."""
    p = c.plan
    notice = shape == "word-notice"
    nr = rng.randint(100, 3999)
    zaak = p.zaak if rng.random() < 0.7 else p.zaak.replace("Z", "Z ")
    if notice:
        title, name, portfolio, _ = minister(p.topic, p.period)
        w = Writer(rng, p.topic, p.submitted)
        out = [f"AH {nr}", p.zaak, f"Mededeling van {title.lower()} {name} ({portfolio}) (ontvangen {dutch(p.notice)})",
               "", f"Op {dutch(p.submitted)} {'heeft' if len(p.members) == 1 else 'hebben'} "
                   f"{submitters_text(p.members)} schriftelijke vragen gesteld aan "
                   f"{addressees_text(p, lower=True)} over {c.title}.", "",
               w.fill("Vanwege de nodige afstemming met {actor} kunnen de vragen niet binnen de gebruikelijke termijn "
                      "van drie weken worden beantwoord. Ik zal de Kamer zo spoedig mogelijk de antwoorden op de "
                      "vragen doen toekomen."), "", ""]
        return "\n".join(out), dict(kind="postponement-notice", identifiers=[p.zaak], questions=[], answers=[],
                                    cites=set(), footnotes=0, marker_in=[], date=p.notice)
    numbering = Numbering(c, keep=p.word_style == "labels")
    out = [f"AH {nr}", "", zaak, "", f"{answerer_text(p, lower=True)} (ontvangen {dutch(p.answered)})", "", ""]
    answers = []
    if p.word_style == "numbered":
        for k, q in enumerate(c.questions, 1):
            a = (k,)
            out += [f"{k}. {numbering.line(q)[0]} ", "", "Antwoord: "]
            for x in c.answers[a]:
                out += [numbering.line(x)[0], ""]
        answers = [(k,) for k in range(1, len(c.questions) + 1)]
        questions = answers
    else:
        style = rng.choice(["op", "vragen"])
        for k, q in enumerate(c.questions, 1):
            out += [f"Vraag {k}", numbering.line(q, block("question", (k,)))[0], ""]
            a = next((g for g in c.agroups if g[-1] == k), None)
            if a is not None:
                out += [labels("answer", a, style)] + [numbering.line(x, block("answer", a))[0]
                                                      for x in c.answers[a]] + [""]
                answers.append(a)
        questions = [(k,) for k in range(1, len(c.questions) + 1)]
        if numbering.notes:
            out += ["", *[f"{n}) {t}" for n, t in numbering.notes]]
    text = "\n".join(out) + "\n\n\n"
    if p.word_style == "labels":
        text = re.sub(r"\?(\d{1,2})(?=\s)", r"?\1)", text)  # Word writes the marker as '1)'
    cites = numbering.cited() | text_cites(c, [x for g in answers for x in c.answers[g]])
    return text, dict(kind="written-questions-with-answers", identifiers=[p.zaak], questions=questions,
                      answers=answers, cites=cites, footnotes=len(numbering.notes),
                      marker_in=numbering.marker_in(), date=p.answered)


def render_openkamer(c: Content, shape: str, rng: random.Random) -> tuple[str, dict]:
    """The openkamer.org page: metadata, the questions' footnotes as a list, bulleted questions with their
    unlabelled answers (answer footnote markers are dropped: the page lists only the questions' notes)."""
    p = c.plan
    m = p.members[0]
    title, name, portfolio, party = minister(p.topic, p.period)
    qnum = Numbering(c)
    qtexts = {g: qnum.line(" ".join(c.questions[k - 1] for k in g), block("question", g))[0] for g in c.qgroups}
    days = (p.answered - p.submitted).days
    subject = c.title[len("het bericht «"):-1] if c.title.startswith("het bericht") else c.title
    subject = subject[0].upper() + subject[1:]
    out = [f"Kamervraag {p.zaak}", "", subject, "", f"Ingediend {dutch(p.submitted)}",
           f"Beantwoord {dutch(p.answered)} (na {days} dagen)", f"Indiener {m.full()}",
           f"Beantwoord door {first_name(name)} {name} ({title.lower()} {portfolio.lower()}) ({party})",
           f"Onderwerpen {TOPICS[p.topic]['subject']}",
           f"Bron vraag https://zoek.officielebekendmakingen.nl/kv-tk-{p.zaak}.html",
           f"Bron antwoord https://zoek.officielebekendmakingen.nl/{p.ah_answer}.html"]
    out += [f"{n}. {t}" for n, t in qnum.notes]
    plain = Numbering(c, keep=False)
    answers = []
    for g in c.qgroups:
        out += [f" • {labels('question', g)}", f"  {qtexts[g]}", ""]
        out += [f"  {plain.line(x)[0]}" for x in c.answers[g]] + [""]
        answers.append(g)
    if p.notice:
        out += [f" • Mededeling - {dutch(p.notice)}", "", "  " + notice_sentence(c, rng), ""]
    out += ["", f"Kamervraag document nummer: kv-tk-{p.zaak}", f"Volledige titel: {subject}",
            f"Kamerantwoord document nummer: {p.ah_answer}",
            f"Volledige titel: Antwoord op vragen van het lid {m.full()} over {c.title}"]
    text = "\n".join(out)
    cites = qnum.cited() | text_cites(c, [x for g in c.qgroups for x in c.answers[g]])
    return text, dict(kind="written-questions-with-answers", identifiers=[p.zaak, f"kv-tk-{p.zaak}", p.ah_answer],
                      questions=c.qgroups, answers=answers, cites=cites, footnotes=len(qnum.notes),
                      marker_in=qnum.marker_in(), date=p.answered)


def first_name(surname: str) -> str:
    return FIRST_NAMES[sum(map(ord, surname)) % len(FIRST_NAMES)]


def render_letter(c: Content, shape: str, rng: random.Random) -> tuple[str, dict]:
    """A Kamerstuk letter as PDF text (fixtures/letters): masthead, dossier, 'Nr. N BRIEF VAN …', addressee,
    date, paragraphs separated by blank lines, footnotes at page bottoms, signature."""
    p = c.plan
    title, name, portfolio, _ = minister(p.topic, p.period)
    dossier, dtitle = p.dossier
    sess = _session_text(p.submitted)
    numbering = Numbering(c)
    head = ["Tweede Kamer der Staten-Generaal 2", f"Vergaderjaar {sess}", "", f"{dossier} {dtitle}", "",
            f"Nr. {p.letter_nr} BRIEF VAN DE {role(title, portfolio).upper()}", "",
            "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal", "",
            f"{rng.choice(['Den Haag', '’s-Gravenhage'])}, {dutch(p.submitted)}", ""]
    lines = [Line(t) for t in head]
    lines[-1].para_end = True
    for k, para in enumerate(c.paragraphs, 1):
        lines += block_lines(numbering, None, [para], 76, f"section {k}")
        lines.append(Line(""))
    lines += [Line(f"De {role(title, portfolio)},"), Line(f"{first_name(name)[0]}. {name}")]
    ident = p.kst
    footer_text = f"Tweede Kamer, vergaderjaar {sess}, {dossier}, nr. {p.letter_nr}"

    def footer(page: int) -> list[str]:
        return [ident, "ISSN 0921 - 7371", f"’s-Gravenhage {p.submitted.year}", f"{footer_text} {page}"] \
            if page == 1 else [ident, f"{footer_text} {page}"]

    for ln in lines:  # a page breaks only between paragraphs (after a blank line)
        ln.para_end = not ln.text
    text = "\n".join(paginate(lines, numbering, 46, 92, footer, " ")) + "\n"
    cites = numbering.cited() | text_cites(c, c.paragraphs)
    return text, dict(kind="letter", identifiers=[ident], questions=[], answers=[], cites=cites,
                      footnotes=len(numbering.notes), marker_in=numbering.marker_in(), date=p.submitted,
                      sections=len(c.paragraphs))


RENDER = {"ah-answer": render_ah, "ah-notice": render_ah, "ah-old": render_old, "kv-questions": render_old,
          "kv-bare": render_bare, "word-notice": render_word, "word-answer": render_word,
          "openkamer": render_openkamer, "letter": render_letter}


def documents(n: int, seed: int = SEED):
    """The first n documents: (file name, text, expectation), episode after episode."""
    i, e = 0, 0
    while i < n:
        p = plan(seed, e)
        for pos, shape in enumerate(p.shapes if p.kind == "questions" else ["letter"]):
            if i == n:
                break
            yield document(seed, i, e, pos, shape)
            i += 1
        e += 1


def document(seed: int, i: int, e: int, pos: int, shape: str) -> tuple[str, str, dict]:
    """(file name, text, expectation) of document i, the pos-th of episode e."""
    p, c = plan(seed, e), content(seed, e)
    rng = random.Random(f"{seed}:render:{e}:{pos}")
    text, exp = RENDER[shape](c, shape, rng)
    key = p.kst if p.kind == "letter" else p.zaak
    exp.update(file=f"{i:05d}_{shape}_{key}.txt", shape=shape, episode=e, topic=p.topic,
               submitted=None if shape in ("word-answer", "letter") else p.submitted.isoformat(),
               answered=p.answered.isoformat() if exp["kind"] == "written-questions-with-answers" else None,
               postponements=[p.notice.isoformat()] if shape.endswith("notice") or (
                   shape == "openkamer" and p.notice) else [],
               cites=sorted(exp["cites"]), date=exp["date"].isoformat(),
               questions=[list(g) for g in exp["questions"]],
               answers=[[list(g), sorted(c.refers.get(g, []))] for g in exp["answers"]])
    title, name, portfolio, _ = minister(p.topic, p.period)
    post = role(title, portfolio)  # 'Minister van Volksgezondheid, Welzijn en Sport': a comma in the portfolio
    exp["answerers"] = [] if exp["kind"] != "written-questions-with-answers" else [
        [f"{first_name(name)} {name}" if shape == "openkamer" else name, post]]
    exp["sender"] = [f"{first_name(name)[0]}. {name}", post] if shape == "letter" else None
    return exp["file"], text, exp


def expected(n: int, seed: int = SEED) -> list[dict]:
    """What the parser should read in each document of make_corpus(n, …, seed): file, shape, kind,
    identifiers, dates, question and answer numbers (with the questions each answer refers to), footnote
    count, the blocks each footnote's markers stand in (marker_in: 'question 3 en 4 en 5' for a block
    'Vraag 3 t/m 5'), the answerers ([name, post]) of an answer document and a letter's sender, and the
    identifiers each document cites (cites) — all of them documents of the corpus."""
    return [exp for _, _, exp in documents(n, seed)]


def make_corpus(n: int, out: Path, seed: int = SEED) -> list[Path]:
    """Write n documents into a fresh folder `out` (removed first if present); return their paths, sorted."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    paths = []
    for name, text, _ in documents(n, seed):
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return sorted(paths)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args()
    t = time.perf_counter()
    paths = make_corpus(args.docs, args.out, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} documents in {args.out} ({size / 1e6:.1f} MB, {time.perf_counter() - t:.1f} s)")
